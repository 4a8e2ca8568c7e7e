import { RetentionService } from '../src/retention/retention.service';
import { login, register } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';
import { post } from './support/http';

describe('retention', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);

  it('deletes expired refresh tokens, long-ended sessions, finished tokens and delivered mail, and nothing live', async () => {
    const account = await register(t.app);
    const live = await login(t.app, account);
    const ended = await login(t.app, account);
    const recent = await login(t.app, account);
    const sid = async (accessToken: string): Promise<string> =>
      (JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()) as { sid: string }).sid;
    const [liveSid, endedSid, recentSid] = await Promise.all([
      sid(live.accessToken),
      sid(ended.accessToken),
      sid(recent.accessToken),
    ]);
    await t.dataSource.query(`UPDATE sessions SET revoked_at = now() - interval '8 days' WHERE id = $1`, [endedSid]);
    await t.dataSource.query(`UPDATE sessions SET revoked_at = now() - interval '1 day' WHERE id = $1`, [recentSid]);
    await t.dataSource.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE session_id = $1`,
      [recentSid],
    );
    await t.dataSource.query(`UPDATE one_time_tokens SET expires_at = now() - interval '2 days' WHERE user_id = $1`, [
      account.id,
    ]);
    await t.dataSource.query(`UPDATE mail_outbox SET sent_at = now() - interval '8 days'`);
    expect(await count(`SELECT count(*) AS n FROM mail_outbox`)).toBeGreaterThan(0);

    await t.app.get(RetentionService).purgeNow();

    expect(await count(`SELECT count(*) AS n FROM sessions WHERE id = $1`, [endedSid])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM refresh_tokens WHERE session_id = $1`, [endedSid])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM sessions WHERE id = $1`, [recentSid])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM refresh_tokens WHERE session_id = $1`, [recentSid])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM one_time_tokens WHERE user_id = $1`, [account.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM mail_outbox`)).toBe(0);
    // The live session and its refresh token are untouched and keep working.
    expect(await count(`SELECT count(*) AS n FROM sessions WHERE id = $1`, [liveSid])).toBe(1);
    const refreshed = await post(t.app, '/user/auth/refresh', { refreshToken: live.refreshToken });
    expect(refreshed.statusCode).toBe(200);
  });
});
