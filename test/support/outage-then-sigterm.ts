import { randomBytes } from 'node:crypto';
import { BuiltAppProcess } from './built-app-process';
import { OwnPostgresServer } from './own-postgres-server';

const PASSWORD = 'SecurePass123!';
const LOAD_WORKERS = 6;
/** Logins in flight when SIGTERM arrives. */
export const LOGINS_AT_SIGTERM = 20;
/** Long enough for the outage probe (every second) to run while the server is down. */
const OUTAGE_MS = 1500;
const RECOVERY_MS = 20_000;
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** The shutdown's budget in the built app: SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS, as API.md states it. */
export const SHUTDOWN_DELAY_MS = 0;
export const SHUTDOWN_TIMEOUT_MS = 10_000;

export interface RoundFigures {
  exitCode: number | null;
  /** From SIGTERM to the process's exit. */
  shutdownMs: number;
  /** From SIGTERM to the answer of the last of the logins in flight. */
  lastLoginMs: number;
  /** From the server's stop to the first login answered 200 again. */
  outageMs: number;
  /** What the logins in flight at SIGTERM were answered (status, or the client's error). */
  loginsAtSigterm: Record<string, number>;
  /** The service's own lines from SIGTERM on (stderr): what it said about its shutdown. */
  shutdownOutput: string;
}

async function login(app: BuiltAppProcess, email: string): Promise<string> {
  try {
    const res = await fetch(`${app.baseUrl}/user/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    await res.arrayBuffer();
    return String(res.status);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).message;
  }
}

/**
 * One round of the sequence that used to hang the shutdown: the built service on a PostgreSQL server of
 * the caller's, logins flowing, the server stopped (`fast` or `immediate`) and started again, the
 * service's recovery awaited, then SIGTERM while 20 logins are in flight.
 */
export async function outageThenSigterm(pg: OwnPostgresServer, stopMode: 'fast' | 'immediate'): Promise<RoundFigures> {
  const app = await BuiltAppProcess.start(
    {
      DATABASE_URL: pg.url,
      // bcrypt at its production cost: a login takes tens of ms, so the 20 are truly in flight.
      BCRYPT_ROUNDS: '10',
      // Hundreds of logins on one account, some of them failed by the outage: no lockout's 429 in the way.
      LOCKOUT_THRESHOLD: '1000',
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    },
    { database: { env: { DATABASE_URL: pg.url }, drop: async () => undefined } },
  );
  let running = true;
  try {
    const email = `shutdown-${randomBytes(6).toString('hex')}@example.com`;
    const registered = await fetch(`${app.baseUrl}/user/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Shut', lastName: 'Down', email, password: PASSWORD }),
    });
    if (registered.status !== 201) throw new Error(`registration answered ${registered.status}`);

    let succeeded = 0;
    const load = Array.from({ length: LOAD_WORKERS }, async () => {
      while (running) if ((await login(app, email)) === '200') succeeded += 1;
    });
    const flowing = Date.now() + RECOVERY_MS;
    while (succeeded < LOAD_WORKERS && Date.now() < flowing) await sleep(5);
    const stoppedAt = Date.now();
    if (!process.env.NO_OUTAGE) {
      await pg.stop(stopMode);
      await sleep(OUTAGE_MS);
      await pg.start();
    }
    while ((await login(app, email)) !== '200') {
      if (Date.now() - stoppedAt > RECOVERY_MS) throw new Error(`no login succeeded within ${RECOVERY_MS} ms`);
      await sleep(100);
    }
    const outageMs = Date.now() - stoppedAt;
    running = false;
    await Promise.all(load);

    let lastAnswerAt = 0;
    const logins = Array.from({ length: LOGINS_AT_SIGTERM }, () =>
      login(app, email).finally(() => (lastAnswerAt = Date.now())),
    );
    // The requests are on the wire (bcrypt keeps them busy for a while): SIGTERM now.
    await sleep(30);
    const outputBefore = app.output.length;
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    const loginsAtSigterm: Record<string, number> = {};
    for (const outcome of await Promise.all(logins)) loginsAtSigterm[outcome] = (loginsAtSigterm[outcome] ?? 0) + 1;
    return {
      exitCode: exit.code,
      shutdownMs: exit.at - signalledAt,
      lastLoginMs: lastAnswerAt - signalledAt,
      outageMs,
      loginsAtSigterm,
      shutdownOutput: app.output.slice(outputBefore).trim(),
    };
  } finally {
    running = false;
    await app.cleanUp();
  }
}
