import { Test } from '@nestjs/testing';
import { AuditRetention } from '../src/audit/audit-retention';
import { loadConfig } from '../src/config/config.module';
import { InvalidSettingsError } from '../src/config/settings';
import { RetentionService } from '../src/retention/retention.service';
import { bearer, login, register } from './support/accounts';
import { auditRowsOf } from './support/audit-rows';
import { ControlledClock } from './support/controlled-clock';
import { startTestApp, TestApp } from './support/test-app';
import { get, post } from './support/http';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('audit retention and session idle timeout', () => {
  const clock = new ControlledClock();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { AUDIT_RETENTION_DAYS: '30', SESSION_IDLE_MINUTES: '30' } });
  });
  afterAll(() => t.close());
  afterEach(() => clock.reset());

  it('deletes audit rows older than AUDIT_RETENTION_DAYS, in batches, and keeps the newer ones', async () => {
    const old = await register(t.app);
    for (let i = 0; i < 4; i++) await login(t.app, old); // 5 rows, written at "now"
    clock.advance(20 * DAY);
    const recent = await register(t.app);
    await login(t.app, recent);
    clock.advance(11 * DAY); // the first account's rows are 31 days old, the second's 11

    // Batches of two rows: the purge goes on until nothing old is left.
    const deleted = await t.app.get(AuditRetention).purgeExpired(2);
    expect(deleted).toBeGreaterThanOrEqual(5);
    expect(await auditRowsOf(t.dataSource, old.id)).toEqual([]);
    expect((await auditRowsOf(t.dataSource, recent.id)).map((row) => row.action)).toEqual([
      'user.registered',
      'login.succeeded',
    ]);
    // The hourly job runs the same purge.
    clock.advance(20 * DAY);
    expect((await t.app.get(RetentionService).purgeNow()).auditEvents).toBeGreaterThanOrEqual(2);
    expect(await auditRowsOf(t.dataSource, recent.id)).toEqual([]);
  });

  it('a session unused for SESSION_IDLE_MINUTES cannot be refreshed and leaves the list; an active one stays', async () => {
    const account = await register(t.app);
    const idle = await login(t.app, account);
    const active = await login(t.app, account);
    clock.advance(20 * MINUTE);
    const refreshed = await post(t.app, '/user/auth/refresh', { refreshToken: active.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    const fresh = refreshed.json() as { accessToken: string; refreshToken: string };
    clock.advance(15 * MINUTE); // idle: 35 minutes without a refresh; active: 15

    const sessions = await get(t.app, '/user/sessions', bearer(fresh.accessToken));
    expect(sessions.statusCode).toBe(200);
    const sid = (token: string) =>
      (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sid: string }).sid;
    expect((sessions.json() as { id: string }[]).map((s) => s.id)).toEqual([sid(active.accessToken)]);

    const refused = await post(t.app, '/user/auth/refresh', { refreshToken: idle.refreshToken });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Refused for good: the session was ended, so going back in time does not revive it.
    clock.reset();
    const again = await post(t.app, '/user/auth/refresh', { refreshToken: idle.refreshToken });
    expect(again.statusCode).toBe(401);

    clock.advance(35 * MINUTE);
    const stillActive = await post(t.app, '/user/auth/refresh', { refreshToken: fresh.refreshToken });
    expect(stillActive.statusCode).toBe(200);
  });

  it('refuses at start, in one line, an idle limit shorter than the access-token lifetime', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        loadConfig({ SESSION_IDLE_MINUTES: '1', ACCESS_TOKEN_EXPIRE_MINUTES: '30' }).then((config) => config.module),
      ],
    }).compile();
    const error: unknown = await compiling.catch((rejected: unknown) => rejected);
    expect(error).toBeInstanceOf(InvalidSettingsError);
    expect((error as InvalidSettingsError).problems).toEqual([
      "SESSION_IDLE_MINUTES must be 0 (off) or at least ACCESS_TOKEN_EXPIRE_MINUTES (30), so that no access token outlives its session's idle limit",
    ]);
  });
});
