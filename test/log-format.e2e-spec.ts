import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecurityLogger } from '../src/security/security-logger';
import { bearer, login, register, STRONG_PASSWORD } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';
import { get, post } from './support/http';

type LogLine = Record<string, unknown>;

/** Every line of a log file, parsed as JSON as a log pipeline would. */
function parsed(t: TestApp, file: 'app.log' | 'error.log' | 'security.log'): LogLine[] {
  return t
    .readLog(file)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);
}

const UPPER_CASE_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("Log lines in the original service's format", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    // Nest's logger holds its lines until listen() (bufferLogs): flushed, so they reach the files here too.
    t.app.flushLogs();
  });
  afterAll(() => t.close());

  it('logs a client error (4xx) as its request line at WARNING, with no stack and nothing in error.log', async () => {
    const user = await login(t.app, await register(t.app));
    const refusals = [
      { method: 'GET' as const, url: '/no/such/route' },
      { method: 'GET' as const, url: '/user/me' },
      { method: 'GET' as const, url: '/admin/users', headers: bearer(user.accessToken) },
      { method: 'POST' as const, url: '/user/auth/login', payload: { email: 'not-an-email' } },
      {
        method: 'POST' as const,
        url: '/user/auth/login',
        payload: '{"email":',
        headers: { 'content-type': 'application/json' },
      },
      { method: 'POST' as const, url: '/user/auth/login', payload: 'x', headers: { 'content-type': 'text/plain' } },
      {
        method: 'POST' as const,
        url: '/user/auth/login',
        payload: { email: user.email, password: 'Not-The-Password-9' },
      },
    ];
    const ids: string[] = [];
    for (const [i, refusal] of refusals.entries()) {
      const id = `client-error-${i}`;
      ids.push(id);
      const res = await t.app.inject({ ...refusal, headers: { ...refusal.headers, 'x-request-id': id } });
      expect({ url: refusal.url, status: Math.floor(res.statusCode / 100) }).toEqual({ url: refusal.url, status: 4 });
    }
    await t.waitForLog('app.log', new RegExp(ids[ids.length - 1]));
    const lines = parsed(t, 'app.log').filter((line) => ids.includes(String(line.request_id)));
    const requestLines = lines.filter((line) => line.logger === 'request').map((line) => line.request_id);
    expect(requestLines).toEqual(ids);
    for (const line of lines) {
      expect(['INFO', 'WARNING']).toContain(line.level);
      expect(JSON.stringify(line)).not.toMatch(/"stack"|"err"/);
    }
    expect(t.readLog('error.log')).toBe('');
  });

  it('writes request lines with exactly the original fields and an upper-case level', async () => {
    const account = await login(t.app, await register(t.app));
    await get(t.app, '/user/me', { ...bearer(account.accessToken), 'x-request-id': 'format-request-line' });
    await get(t.app, '/no/such/route', { 'x-request-id': 'format-not-found' });
    await t.waitForLog('app.log', /format-not-found/);
    const lines = parsed(t, 'app.log').filter((line) => line.logger === 'request');
    const me = lines.find((line) => line.request_id === 'format-request-line');
    expect(Object.keys(me ?? {}).sort()).toEqual(
      [
        'duration_ms',
        'handler',
        'level',
        'logger',
        'message',
        'method',
        'path',
        'request_id',
        'status_code',
        'timestamp',
        'user_id',
      ].sort(),
    );
    expect(me).toMatchObject({
      level: 'INFO',
      method: 'GET',
      path: '/user/me',
      status_code: 200,
      handler: 'MeController.me',
    });
    expect(me?.user_id).toBe(account.userId);
    expect(me?.timestamp).toMatch(ISO_UTC);
    expect(typeof me?.duration_ms).toBe('number');
    const notFound = lines.find((line) => line.request_id === 'format-not-found');
    expect(notFound).toMatchObject({ level: 'WARNING', status_code: 404, user_id: null, handler: 'none' });
    for (const line of parsed(t, 'app.log')) expect(UPPER_CASE_LEVELS).toContain(line.level);
  });

  it('writes security lines with the original fields: event_type, email, success, ip_address', async () => {
    const account = await register(t.app);
    await t.app.inject({
      method: 'POST',
      url: '/user/auth/login',
      remoteAddress: '198.51.100.23',
      headers: { 'x-request-id': 'format-security-line' },
      payload: { email: account.email, password: 'Not-The-Password-9' },
    });
    await t.waitForLog('security.log', /format-security-line/);
    const line = parsed(t, 'security.log').find((entry) => entry.request_id === 'format-security-line');
    expect(Object.keys(line ?? {}).sort()).toEqual(
      ['email', 'event_type', 'ip_address', 'level', 'logger', 'message', 'request_id', 'success', 'timestamp'].sort(),
    );
    expect(line).toMatchObject({
      level: 'WARNING',
      logger: 'security',
      message: 'Authentication attempt: failure',
      event_type: 'auth_attempt',
      email: account.email,
      success: false,
      ip_address: '198.51.100.23',
    });
    expect(line?.timestamp).toMatch(ISO_UTC);
    // The same event, copied to app.log, is the same line.
    expect(parsed(t, 'app.log')).toContainEqual(line);
  });

  it('keeps passwords, tokens, codes, cookies and Authorization out of every file', async () => {
    const account = await login(t.app, await register(t.app));
    await get(t.app, '/user/me', { ...bearer(account.accessToken), cookie: `user_session=${account.sessionCookie}` });
    await get(t.app, `/user/auth/verify-email?token=${account.refreshToken}&code=731904`);
    // Fields a call site might pass under the log lines' snake_case names are censored too.
    t.app.get(SecurityLogger).event('password_changed', {
      user_id: account.userId,
      new_password: 'Leaked-New-Passw0rd',
      access_token: account.accessToken,
      refresh_token: account.refreshToken,
      code: '731904',
      cookie: `user_session=${account.sessionCookie}`,
      authorization: `Bearer ${account.accessToken}`,
    });
    await t.waitForLog('security.log', new RegExp(`"password_changed".*${account.userId}`));
    const secrets = [
      STRONG_PASSWORD,
      'Leaked-New-Passw0rd',
      account.accessToken,
      account.refreshToken,
      account.sessionCookie,
      '731904',
    ];
    for (const file of ['app.log', 'error.log', 'security.log'] as const) {
      const text = t.readLog(file);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    const changed = parsed(t, 'security.log').find(
      (line) => line.event_type === 'password_changed' && line.user_id === account.userId,
    );
    expect(changed).toMatchObject({
      new_password: '[REDACTED]',
      access_token: '[REDACTED]',
      refresh_token: '[REDACTED]',
      code: '[REDACTED]',
      cookie: '[REDACTED]',
      authorization: '[REDACTED]',
    });
  });
});

describe('Log files', () => {
  let t: TestApp | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'clickbit-log-modes-'));
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are created readable and writable by their owner only (0600), and an older readable one is closed', async () => {
    // app.log as an older version left it: world-readable.
    writeFileSync(join(dir, 'app.log'), '', { mode: 0o644 });
    expect(statSync(join(dir, 'app.log')).mode & 0o777).toBe(0o644);
    t = await startTestApp({ env: { LOG_DIR: dir } });
    await register(t.app);
    const files = ['app.log', 'error.log', 'security.log', 'mail.log'];
    const deadline = Date.now() + 5000;
    while (!files.every((file) => existsSync(join(dir, file))) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const modes = Object.fromEntries(files.map((file) => [file, (statSync(join(dir, file)).mode & 0o777).toString(8)]));
    expect(modes).toEqual({ 'app.log': '600', 'error.log': '600', 'security.log': '600', 'mail.log': '600' });
  });
});

describe('LOG_LEVEL=WARNING', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'WARNING' } });
  });
  afterAll(() => t.close());

  it('keeps info security events out of app.log, never out of security.log', async () => {
    const account = await register(t.app);
    const ok = await post(
      t.app,
      '/user/auth/login',
      { email: account.email, password: account.password },
      { 'x-request-id': 'quiet-success' },
    );
    expect(ok.statusCode).toBe(200);
    await post(
      t.app,
      '/user/auth/login',
      { email: account.email, password: 'Not-The-Password-9' },
      { 'x-request-id': 'quiet-failure' },
    );
    // Lines are written in order: once the later warning is in app.log, the earlier event had its turn.
    await t.waitForLog('app.log', /"request_id":"quiet-failure".*"event_type":"auth_attempt"/);
    await t.waitForLog('security.log', /quiet-failure/);
    const security = parsed(t, 'security.log');
    expect(security).toContainEqual(
      expect.objectContaining({ request_id: 'quiet-success', event_type: 'auth_attempt', level: 'INFO' }),
    );
    expect(security).toContainEqual(
      expect.objectContaining({ request_id: 'quiet-failure', event_type: 'auth_attempt', level: 'WARNING' }),
    );
    const app = parsed(t, 'app.log');
    expect(app.filter((line) => line.request_id === 'quiet-success')).toEqual([]);
    expect(app.every((line) => line.level !== 'INFO' && line.level !== 'DEBUG')).toBe(true);
  });
});
