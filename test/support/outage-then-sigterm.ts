import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
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

/** One request on the keep-alive agent: the status, or the client's error code. */
function call(agent: Agent, port: number, method: 'GET' | 'POST', path: string, body?: object): Promise<string> {
  return new Promise((done) => {
    const headers = { 'content-type': 'application/json' };
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      res.resume();
      res.once('end', () => done(String(res.statusCode)));
    });
    req.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    req.end(body ? JSON.stringify(body) : undefined);
  });
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
  // Keep-alive, as a proxy or a client library: the logins at SIGTERM travel on connections already open.
  const agent = new Agent({ keepAlive: true, maxSockets: LOGINS_AT_SIGTERM });
  const login = (email: string): Promise<string> =>
    call(agent, app.port, 'POST', '/user/auth/login', { email, password: PASSWORD });
  try {
    const email = `shutdown-${randomBytes(6).toString('hex')}@example.com`;
    const registered = await call(agent, app.port, 'POST', '/user/auth/register', {
      firstName: 'Shut',
      lastName: 'Down',
      email,
      password: PASSWORD,
    });
    if (registered !== '201') throw new Error(`registration answered ${registered}`);

    let succeeded = 0;
    const load = Array.from({ length: LOAD_WORKERS }, async () => {
      while (running) if ((await login(email)) === '200') succeeded += 1;
    });
    const flowing = Date.now() + RECOVERY_MS;
    while (succeeded < LOAD_WORKERS && Date.now() < flowing) await sleep(5);
    const stoppedAt = Date.now();
    await pg.stop(stopMode);
    await sleep(OUTAGE_MS);
    await pg.start();
    while ((await login(email)) !== '200') {
      if (Date.now() - stoppedAt > RECOVERY_MS) throw new Error(`no login succeeded within ${RECOVERY_MS} ms`);
      await sleep(100);
    }
    const outageMs = Date.now() - stoppedAt;
    running = false;
    await Promise.all(load);

    let lastAnswerAt = 0;
    // Every connection open beforehand: a new one still in the listen queue at the close would be reset
    // by the kernel, which is no part of this sequence (the graceful-shutdown test covers it).
    await Promise.all(Array.from({ length: LOGINS_AT_SIGTERM }, () => call(agent, app.port, 'GET', '/health/live')));
    const logins = Array.from({ length: LOGINS_AT_SIGTERM }, () =>
      login(email).finally(() => (lastAnswerAt = Date.now())),
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
    agent.destroy();
    await app.cleanUp();
  }
}
