import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { login, register } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';
import { post } from './support/http';

describe('production without SMTP_URL', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The production rules ask for bcrypt cost 10; nothing else here is production-specific.
    t = await startTestApp({ env: { ENVIRONMENT: 'production', BCRYPT_ROUNDS: '10' } });
    // Nest's logger holds its lines until listen() (bufferLogs): flushed, so they reach the files here too.
    t.app.flushLogs();
  });
  afterAll(() => t?.close());

  const outboxRows = async (): Promise<number> =>
    Number(((await t.dataSource.query('SELECT count(*) AS n FROM mail_outbox')) as { n: string }[])[0].n);

  it('registers and signs in, queuing no mail', async () => {
    const account = await register(t.app);
    const client = await login(t.app, account);
    expect(client.accessToken).toBeTruthy();
    expect(await outboxRows()).toBe(0);
  });

  it('answers 503 "mail is not configured" on the mail routes, and queues nothing', async () => {
    const account = await register(t.app);
    const client = await login(t.app, account);
    const requests = [
      post(t.app, '/user/auth/verify-email/request', undefined, { authorization: `Bearer ${client.accessToken}` }),
      post(t.app, '/user/auth/forgot-password', { email: account.email }),
      post(t.app, '/user/auth/forgot-password', { email: 'nobody@example.com' }),
    ];
    for (const res of await Promise.all(requests)) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 503, detail: 'mail is not configured' });
    }
    expect(await outboxRows()).toBe(0);
    // An expected refusal, not an error: WARNING lines with the reason, no stack, nothing in error.log.
    const app = await t.waitForLog('app.log', /(?:"status_code":503[^\n]*"request completed"[\s\S]*){3}/);
    const refusals = app
      .split('\n')
      .filter((line) => line.includes('"status_code":503'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(refusals.filter((line) => line.logger === 'request')).toHaveLength(3);
    expect(refusals.filter((line) => line.detail === 'mail is not configured')).toHaveLength(3);
    for (const line of refusals) {
      expect(line.level).toBe('WARNING');
      expect(Object.keys(line)).not.toEqual(expect.arrayContaining(['err']));
    }
    expect(app).not.toMatch(/"stack"/);
    expect(t.readLog('error.log')).toBe('');
    // Links never land in a file in production.
    expect(existsSync(join(t.logDir, 'mail.log'))).toBe(false);
  });

  it('skips a security notification with one warning, and the change it reports proceeds', async () => {
    const account = await register(t.app);
    const client = await login(t.app, account);
    const changed = await post(
      t.app,
      '/user/me/password',
      { currentPassword: account.password, newPassword: 'An0ther-Long-Passphrase' },
      { authorization: `Bearer ${client.accessToken}` },
    );
    expect(changed.statusCode).toBe(200);
    expect(await outboxRows()).toBe(0);
    const tokens = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM one_time_tokens WHERE user_id = $1 AND purpose = 'secure_account'`,
      [client.userId],
    );
    expect(tokens).toEqual([{ n: 0 }]);
    const log = await t.waitForLog('app.log', /security notification password_changed/);
    const lines = log
      .split('\n')
      .filter((line) => line.includes(`security notification password_changed for user ${client.userId}`));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'WARNING',
      message: expect.stringContaining('mail is not configured'),
    });
  });
});
