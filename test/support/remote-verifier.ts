import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

export type RemoteVerdict = { ok: true; kid: string; sub: string } | { ok: false; code: string; message: string };

/**
 * Another service, in a process of its own, that trusts our tokens through jose's createRemoteJWKSet on
 * the running HTTP server: it shares no memory, no SECRET_KEY and no database with the service.
 */
export class RemoteVerifier {
  private nextId = 0;
  private readonly waiting = new Map<number, (verdict: RemoteVerdict) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly baseUrl: string,
  ) {
    child.on('message', ({ id, ...verdict }: { id?: number } & RemoteVerdict) => {
      if (id === undefined) return;
      this.waiting.get(id)?.(verdict as RemoteVerdict);
      this.waiting.delete(id);
    });
  }

  static async start(baseUrl: string): Promise<RemoteVerifier> {
    const child = fork(join(__dirname, 'remote-verifier-process.mjs'), [], {
      execPath: process.execPath,
      stdio: 'inherit',
    });
    await new Promise<void>((ready, fail) => {
      child.once('message', () => ready());
      child.once('error', fail);
    });
    return new RemoteVerifier(child, baseUrl);
  }

  /** Verifies as of `currentDate` (the service's controlled time), checking iss and aud. */
  verify(token: string, currentDate?: Date): Promise<RemoteVerdict> {
    const id = (this.nextId += 1);
    return new Promise((done) => {
      this.waiting.set(id, done);
      this.child.send({
        id,
        token,
        jwksUrl: `${this.baseUrl}/.well-known/jwks.json`,
        issuer: 'clickbit-api',
        audience: 'clickbit-api',
        currentDate: currentDate?.toISOString(),
      });
    });
  }

  stop(): void {
    this.child.kill();
  }
}
