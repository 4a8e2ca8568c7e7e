import { bearer } from './support/accounts';
import { post } from './support/http';
import { PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { startTestApp, TestApp } from './support/test-app';

const NEW_PASSWORD = 'An0ther-Long-Passphrase';

describe('SECURITY_NOTIFICATIONS=false', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...PASSKEY_TEST_ENV, SECURITY_NOTIFICATIONS: 'false' } });
  });
  afterAll(() => t.close());

  it('queues no notification and no secure-account token; the change proceeds', async () => {
    const { client } = await passkeyCalls(t.app).withPasskey();
    const changed = await post(
      t.app,
      '/user/me/password',
      { currentPassword: client.password, newPassword: NEW_PASSWORD },
      bearer(client.accessToken),
    );
    expect(changed.statusCode).toBe(200);
    const rows = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM mail_outbox WHERE recipient = $1 AND purpose = 'security_notification') AS mails,
              (SELECT count(*)::int FROM one_time_tokens WHERE user_id = $2 AND purpose = 'secure_account') AS tokens`,
      [client.email, client.userId],
    );
    expect(rows).toEqual([{ mails: 0, tokens: 0 }]);
  });
});
