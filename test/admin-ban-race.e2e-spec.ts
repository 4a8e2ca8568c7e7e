import { bearer, signedInAdmin, SignedInClient } from './support/accounts';
import { stepUp } from './support/step-up';
import { SERVER_DATABASE_URL, startTestApp, TestApp } from './support/test-app';
import { post } from './support/http';

/** Waits until `count` backends of this database wait on a row lock (PostgreSQL only). */
async function lockWaiters(t: TestApp, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [{ waiting }] = (await t.dataSource.query(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    )) as { waiting: number }[];
    if (waiting >= count) return;
    if (Date.now() > deadline) throw new Error(`${waiting} of ${count} requests reached the admin-row lock`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('two admins banning each other at once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const banCall = (actor: SignedInClient, target: SignedInClient) =>
    post(
      t.app,
      `/admin/users/${target.userId}/ban`,
      { reason: 'Each thinks the other is compromised' },
      bearer(actor.accessToken),
    );

  it('leaves one of them: one ban answers 200, the other 409, and one active admin remains', async () => {
    const first = await signedInAdmin(t.app);
    const second = await signedInAdmin(t.app);
    await stepUp(t.app, first);
    await stepUp(t.app, second);
    let results;
    if (SERVER_DATABASE_URL) {
      // Real concurrency: both requests pass their token checks and wait together on the admin rows,
      // held here, then race for them the moment they are released.
      const holder = t.dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      await holder.query(`SELECT id FROM users WHERE role = 'admin' AND is_active ORDER BY id FOR UPDATE`);
      const racing = Promise.all([banCall(first, second), banCall(second, first)]);
      await lockWaiters(t, 2);
      await holder.commitTransaction();
      await holder.release();
      results = await racing;
    } else {
      // The embedded database runs one query at a time: the two transactions interleave at its queue.
      results = await Promise.all([banCall(first, second), banCall(second, first)]);
    }
    expect(results.map((res) => res.statusCode).sort()).toEqual([200, 409]);
    const active = (await t.dataSource.query(
      `SELECT id FROM users WHERE role = 'admin' AND is_active AND ban_reason IS NULL AND id = ANY($1)`,
      [[first.userId, second.userId]],
    )) as { id: string }[];
    expect(active).toHaveLength(1);
  });
});
