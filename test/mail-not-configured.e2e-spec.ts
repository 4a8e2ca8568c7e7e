import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { login, register } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';

describe('production without SMTP_URL', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The production rules ask for bcrypt cost 10; nothing else here is production-specific.
    t = await startTestApp({ env: { ENVIRONMENT: 'production', BCRYPT_ROUNDS: '10' } });
    // Nest holds its logger's lines until listen(), which a served app calls and an injected one does not.
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
      t.app.inject({
        method: 'POST',
        url: '/user/auth/verify-email/request',
        headers: { authorization: `Bearer ${client.accessToken}` },
      }),
      t.app.inject({ method: 'POST', url: '/user/auth/forgot-password', payload: { email: account.email } }),
      t.app.inject({ method: 'POST', url: '/user/auth/forgot-password', payload: { email: 'nobody@example.com' } }),
    ];
    for (const res of await Promise.all(requests)) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 503, detail: 'mail is not configured' });
    }
    expect(await outboxRows()).toBe(0);
    // Links never land in a file in production.
    expect(existsSync(join(t.logDir, 'mail.log'))).toBe(false);
  });

  it('skips a security notification with one warning, and the change it reports proceeds', async () => {
    const account = await register(t.app);
    const client = await login(t.app, account);
    const changed = await t.app.inject({
      method: 'POST',
      url: '/user/me/password',
      headers: { authorization: `Bearer ${client.accessToken}` },
      payload: { currentPassword: account.password, newPassword: 'An0ther-Long-Passphrase' },
    });
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
