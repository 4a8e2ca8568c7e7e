import { UsersService } from '../src/users/users.service';
import { bearer, login, SignedInClient, uniqueEmail } from './support/accounts';
import { auditRowsOf } from './support/audit-rows';
import { PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN_PASSWORD = 'Adm1n-Str0ng-Passphrase';

describe('audit trail and admin reset: passkeys', () => {
  let t: TestApp;
  let admin: SignedInClient;
  let calls: ReturnType<typeof passkeyCalls>;

  beforeAll(async () => {
    t = await startTestApp({ env: PASSKEY_TEST_ENV });
    calls = passkeyCalls(t.app);
    const email = uniqueEmail('admin');
    await t.app.get(UsersService).ensureAdmin(email, ADMIN_PASSWORD);
    admin = await login(t.app, { email, password: ADMIN_PASSWORD });
  });
  afterAll(() => t.close());

  it('records passkey.added, passkey.signed_in and passkey.removed, each naming the passkey', async () => {
    const { client, authenticator, passkey } = await calls.withPasskey();
    expect((await calls.signIn(authenticator)).statusCode).toBe(200);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/user/passkeys/${passkey.id}`,
      headers: bearer(client.accessToken),
    });
    expect(removed.statusCode).toBe(204);
    const rows = (await auditRowsOf(t.dataSource, client.userId)).filter((row) => row.action.startsWith('passkey.'));
    expect(rows.map((row) => [row.action, row.actorId, row.targetUserId])).toEqual([
      ['passkey.added', client.userId, client.userId],
      ['passkey.signed_in', client.userId, client.userId],
      ['passkey.removed', client.userId, client.userId],
    ]);
    for (const row of rows) expect(row.details).toMatchObject({ passkeyId: passkey.id });
    expect(rows[1].details).toEqual({ passkeyId: passkey.id, sessionId: expect.any(String) as unknown });
  });

  it("the admin reset removes the user's passkeys too: the count drops to 0 and the passkey no longer signs in", async () => {
    const { client, authenticator } = await calls.withPasskey();
    const reset = await t.app.inject({
      method: 'DELETE',
      url: `/admin/users/${client.userId}/mfa`,
      headers: bearer(admin.accessToken),
    });
    expect(reset.statusCode).toBe(204);
    const user = await t.app.inject({
      method: 'GET',
      url: `/admin/users/${client.userId}`,
      headers: bearer(admin.accessToken),
    });
    expect(user.json()).toMatchObject({ passkeyCount: 0, mfaEnabled: false });
    expect((await calls.signIn(authenticator)).statusCode).toBe(401);
    const resetRow = (await auditRowsOf(t.dataSource, client.userId)).find((row) => row.action === 'admin.mfa_reset');
    expect(resetRow).toMatchObject({ actorId: admin.userId, details: { hadTotp: false, passkeysRemoved: 1 } });
  });
});
