import { bearer, SignedInClient, signedInAdmin } from './support/accounts';
import { auditRowsOf } from './support/audit-rows';
import { PASSKEY_TEST_ENV, passkeyCalls } from './support/passkey-calls';
import { startTestApp, TestApp } from './support/test-app';
import { del, get } from './support/http';

describe('audit trail and admin reset: passkeys', () => {
  let t: TestApp;
  let admin: SignedInClient;
  let calls: ReturnType<typeof passkeyCalls>;

  beforeAll(async () => {
    t = await startTestApp({ env: PASSKEY_TEST_ENV });
    calls = passkeyCalls(t.app);
    admin = await signedInAdmin(t.app);
  });
  afterAll(() => t.close());

  it('records passkey.added, passkey.signed_in and passkey.removed, each naming the passkey', async () => {
    const { client, authenticator, passkey } = await calls.withPasskey();
    expect((await calls.signIn(authenticator)).statusCode).toBe(200);
    const removed = await del(t.app, `/user/passkeys/${passkey.id}`, bearer(client.accessToken));
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
    const reset = await del(t.app, `/admin/users/${client.userId}/mfa`, bearer(admin.accessToken));
    expect(reset.statusCode).toBe(204);
    const user = await get(t.app, `/admin/users/${client.userId}`, bearer(admin.accessToken));
    expect(user.json()).toMatchObject({ passkeyCount: 0, mfaEnabled: false });
    expect((await calls.signIn(authenticator)).statusCode).toBe(401);
    const resetRow = (await auditRowsOf(t.dataSource, client.userId)).find((row) => row.action === 'admin.mfa_reset');
    expect(resetRow).toMatchObject({ actorId: admin.userId, details: { hadTotp: false, passkeysRemoved: 1 } });
  });
});
