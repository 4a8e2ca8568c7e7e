import { connect } from 'node:net';
import { BuiltAppProcess, buildIfNeeded } from './support/built-app-process';
import { SlowRequest } from './support/slow-request';

const PASSWORD = 'SecurePass123!';

/** Resolves with the connection error code once a new connection is refused (or the time is up). */
async function connectionRefusedWithin(port: number, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const outcome = await new Promise<string>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done('accepted');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
    });
    if (outcome !== 'accepted' || Date.now() > deadline) return outcome;
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function register(app: BuiltAppProcess, email: string): Promise<void> {
  const res = await fetch(`${app.baseUrl}/user/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ firstName: 'Grace', lastName: 'Ful', email, password: PASSWORD }),
  });
  expect(res.status).toBe(201);
}

describe('Graceful shutdown of the built app', () => {
  let app: BuiltAppProcess | undefined;

  beforeAll(() => buildIfNeeded(), 300_000);
  afterEach(async () => {
    await app?.cleanUp();
    app = undefined;
  });

  it('on SIGTERM refuses new connections, finishes in-flight requests, and exits 0', async () => {
    app = await BuiltAppProcess.start({ SHUTDOWN_TIMEOUT_MS: '5000' });
    await register(app, 'drain@example.com');
    // Two requests in flight when the signal comes: their bodies are only half sent.
    const logins = await Promise.all(
      [1, 2].map(() =>
        SlowRequest.open(app!.port, 'POST', '/user/auth/login', { email: 'drain@example.com', password: PASSWORD }),
      ),
    );
    // And a keep-alive connection that sits idle: it must not hold the shutdown open.
    const idle = await fetch(`${app.baseUrl}/health/live`, { headers: { connection: 'keep-alive' } });
    expect(idle.status).toBe(200);

    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    expect(await connectionRefusedWithin(app.port, 2000)).toBe('ECONNREFUSED');
    expect(app.child.exitCode).toBeNull();

    for (const login of logins) login.finish();
    const responses = await Promise.all(logins.map((login) => login.response));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String) });
    }

    const exit = await app.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(5000);
    expect(app.output).toMatch(/shutdown complete in \d+ ms/);
  }, 120_000);

  it('exits at once on a second signal, without waiting for in-flight requests', async () => {
    app = await BuiltAppProcess.start({ SHUTDOWN_TIMEOUT_MS: '20000' });
    const stuck = await SlowRequest.open(app.port, 'POST', '/user/auth/login', {
      email: 'x@example.com',
      password: PASSWORD,
    });
    app.child.kill('SIGTERM');
    await new Promise((done) => setTimeout(done, 300));
    expect(app.child.exitCode).toBeNull();
    const secondAt = Date.now();
    app.child.kill('SIGINT');
    const exit = await app.exited;
    expect(exit.code).toBe(130);
    expect(exit.at - secondAt).toBeLessThan(2000);
    await expect(stuck.response).rejects.toThrow(/closed before a complete response/);
  }, 120_000);

  it('gives up after SHUTDOWN_TIMEOUT_MS when a request never finishes, exiting 1', async () => {
    app = await BuiltAppProcess.start({ SHUTDOWN_TIMEOUT_MS: '1500' });
    const stuck = await SlowRequest.open(app.port, 'POST', '/user/auth/login', {
      email: 'x@example.com',
      password: PASSWORD,
    });
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(1400);
    expect(exit.at - signalledAt).toBeLessThan(4000);
    expect(app.output).toMatch(/did not finish within 1500 ms/);
    stuck.destroy();
  }, 120_000);
});
