import { randomUUID } from 'node:crypto';
import { bearer, registerAndLogin, SignedInClient, signedInAdmin } from './support/accounts';
import { insertAuditRows } from './support/audit-rows';
import { startTestApp, TestApp } from './support/test-app';
import { get } from './support/http';

interface Item {
  id: string;
  occurredAt: string;
  action: string;
  outcome: string;
  actorId: string | null;
  targetUserId: string | null;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

const MINUTE = 60_000;

/** Newest first by occurredAt, then id, both descending. */
function isNewestFirst(items: Item[]): boolean {
  return items.every((item, i) => {
    if (i === 0) return true;
    const before = items[i - 1];
    return before.occurredAt > item.occurredAt || (before.occurredAt === item.occurredAt && before.id > item.id);
  });
}

describe('audit trail: admin reader and own activity', () => {
  let t: TestApp;
  let admin: SignedInClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedInAdmin(t.app);
  });
  afterAll(() => t.close());

  const audit = (query: string, headers: Record<string, string> = {}) =>
    get(t.app, `/admin/audit${query}`, { ...bearer(admin.accessToken), ...headers });

  async function walk(query: string, limit: number, between?: () => Promise<void>): Promise<Item[]> {
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const res = await audit(`?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as Page;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items);
      cursor = page.nextCursor;
      await between?.();
    } while (cursor);
    return seen;
  }

  it('is for admins only: 401 without credentials, 403 for a user', async () => {
    const user = await registerAndLogin(t.app);
    const forbidden = await get(t.app, '/admin/audit', bearer(user.accessToken));
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await get(t.app, '/admin/audit')).statusCode).toBe(401);
  });

  it('refuses bad parameters with 400 problem details, and defaults the limit to 50', async () => {
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=abc',
      'cursor=not-a-cursor',
      `cursor=${Buffer.from('a1|2026-01-01T00:00:00Z|nope').toString('base64url')}`,
      'actorId=123',
      'targetUserId=xyz',
      'action=login.maybe',
      'outcome=partial',
      'since=yesterday',
      'since=2026-11-01',
      'until=2026-13-01T00:00:00Z',
    ]) {
      const res = await audit(`?${query}`);
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const actorId = randomUUID();
    const now = Date.now();
    await insertAuditRows(
      t.dataSource,
      Array.from({ length: 55 }, (_, i) => ({ occurredAt: new Date(now - i * 1000), actorId })),
    );
    const page = (await audit(`?actorId=${actorId}`)).json() as Page;
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect((await audit(`?actorId=${actorId}&limit=500`)).json()).toMatchObject({ nextCursor: null });
  });

  it('walks every row that existed when the walk began exactly once, newest first, while rows are inserted', async () => {
    const actorId = randomUUID();
    const base = Date.now() - 60 * MINUTE;
    // Ties on occurredAt (five rows per instant) are ordered by id.
    const existing = await insertAuditRows(
      t.dataSource,
      Array.from({ length: 83 }, (_, i) => ({ occurredAt: new Date(base + Math.floor(i / 5) * 1000), actorId })),
    );
    let inserted = 0;
    const seen = await walk(`actorId=${actorId}`, 7, async () => {
      // Another writer: new rows now, and one at an instant the walk is passing through.
      inserted += (await insertAuditRows(t.dataSource, [{ occurredAt: new Date(), actorId }])).length;
      inserted += (await insertAuditRows(t.dataSource, [{ occurredAt: new Date(base + 8_000), actorId }])).length;
    });
    const ids = seen.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of existing) expect(ids.filter((seenId) => seenId === id)).toHaveLength(1);
    expect(inserted).toBeGreaterThan(0);
    expect(isNewestFirst(seen)).toBe(true);
  });

  it('filters by action, actor, target, outcome and time', async () => {
    const actorId = randomUUID();
    const targetUserId = randomUUID();
    const t0 = Date.now() - 30 * MINUTE;
    await insertAuditRows(t.dataSource, [
      { occurredAt: new Date(t0), actorId, action: 'logout' },
      { occurredAt: new Date(t0 + MINUTE), actorId, action: 'login.failed', outcome: 'failure', targetUserId },
      { occurredAt: new Date(t0 + 2 * MINUTE), actorId, action: 'logout', targetUserId },
      { occurredAt: new Date(t0 + 3 * MINUTE), actorId: randomUUID(), action: 'logout', targetUserId },
    ]);
    const items = async (query: string): Promise<Item[]> => {
      const res = await audit(`?${query}`);
      expect(res.statusCode).toBe(200);
      return (res.json() as Page).items;
    };
    expect(await items(`actorId=${actorId}`)).toHaveLength(3);
    expect((await items(`actorId=${actorId}&action=logout`)).map((i) => i.action)).toEqual(['logout', 'logout']);
    expect(await items(`targetUserId=${targetUserId}`)).toHaveLength(3);
    expect(await items(`targetUserId=${targetUserId}&outcome=failure`)).toEqual([
      expect.objectContaining({ action: 'login.failed', outcome: 'failure', actorId, targetUserId }),
    ]);
    const since = new Date(t0 + MINUTE).toISOString();
    const until = new Date(t0 + 3 * MINUTE).toISOString();
    expect(
      (await items(`targetUserId=${targetUserId}&since=${since}&until=${until}`)).map((i) => i.occurredAt),
    ).toEqual([new Date(t0 + 2 * MINUTE).toISOString(), new Date(t0 + MINUTE).toISOString()]);
    const logouts = await items(`action=logout&limit=500`);
    expect(logouts.every((i) => i.action === 'logout')).toBe(true);
    expect(isNewestFirst(logouts)).toBe(true);
  });

  it('streams every matching row as NDJSON in the same order, across several batches', async () => {
    const actorId = randomUUID();
    const base = Date.now() - 120 * MINUTE;
    await insertAuditRows(
      t.dataSource,
      Array.from({ length: 2345 }, (_, i) => ({ occurredAt: new Date(base + Math.floor(i / 3)), actorId })),
    );
    const res = await audit(`?actorId=${actorId}`, { accept: 'application/x-ndjson' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.body.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2345);
    const streamed = lines.map((line) => JSON.parse(line) as Item);
    const paged = await walk(`actorId=${actorId}`, 500);
    expect(streamed.map((i) => i.id)).toEqual(paged.map((i) => i.id));
    expect(streamed[0]).toEqual(paged[0]);
    expect(isNewestFirst(streamed)).toBe(true);
    const none = await audit(`?actorId=${randomUUID()}`, { accept: 'application/x-ndjson' });
    expect([none.statusCode, none.body]).toEqual([200, '']);
  });

  it('writes each NDJSON line in the very text the JSON page writes the item in', async () => {
    const actorId = randomUUID();
    const [withDetails] = await insertAuditRows(t.dataSource, [
      { occurredAt: new Date(Date.now() - 3 * MINUTE), actorId },
      { occurredAt: new Date(Date.now() - 2 * MINUTE), actorId, targetUserId: null },
    ]);
    // Details as PostgreSQL keeps them: several keys, a decimal with a trailing zero, a null, non-ASCII
    // text, and a time with microseconds; its json text spaces them (`"id" : "…"`), JSON.stringify not.
    await t.dataSource.query(
      `UPDATE audit_events
          SET details = '{"sessionId": "s-1", "attempts": 1.50, "reason": null, "note": "café ✓", "ok": true}',
              ip_address = '203.0.113.9', user_agent = 'Mozilla/5.0 "quoted"',
              occurred_at = occurred_at + interval '123 microseconds'
        WHERE id = $1`,
      [withDetails],
    );
    const page = await audit(`?actorId=${actorId}`);
    const streamed = await audit(`?actorId=${actorId}`, { accept: 'application/x-ndjson' });
    const lines = streamed.body.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    const items = (page.json() as Page).items;
    // Each line is the page's item, character for character, as the page's own body holds it.
    for (const [i, line] of lines.entries()) {
      expect(line).toBe(JSON.stringify(items[i]));
      expect(page.body).toContain(line);
    }
    expect(lines[1]).toContain('"details":{');
  });

  it('shows users their own activity of the last 90 days only, paged by cursor', async () => {
    const me = await registerAndLogin(t.app);
    const other = await registerAndLogin(t.app);
    const now = Date.now();
    await insertAuditRows(t.dataSource, [
      { occurredAt: new Date(now - 91 * 24 * 60 * MINUTE), actorId: me.userId, action: 'logout' },
      {
        occurredAt: new Date(now - 5 * MINUTE),
        actorId: other.userId,
        targetUserId: me.userId,
        action: 'login.failed',
      },
    ]);
    const activity = (query = '') => get(t.app, `/user/me/activity${query}`, bearer(me.accessToken));
    const all = (await activity()).json() as Page;
    expect(all.items.map((i) => i.action)).toEqual(['login.succeeded', 'user.registered', 'login.failed']);
    expect(all.items.every((i) => i.targetUserId === me.userId)).toBe(true);
    expect(all.nextCursor).toBeNull();
    const first = (await activity('?limit=2')).json() as Page;
    const second = (await activity(`?limit=2&cursor=${first.nextCursor}`)).json() as Page;
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(all.items.map((i) => i.id));
    for (const query of ['?limit=0', '?limit=101', '?cursor=%25%25']) {
      expect((await activity(query)).statusCode).toBe(400);
    }
    expect((await get(t.app, '/user/me/activity')).statusCode).toBe(401);
  });
});
