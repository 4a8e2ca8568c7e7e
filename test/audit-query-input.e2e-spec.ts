import { randomUUID } from 'node:crypto';
import { bearer, registerAndLogin, SignedInClient, signedInAdmin } from './support/accounts';
import { insertAuditRows } from './support/audit-rows';
import { startTestApp, TestApp } from './support/test-app';

const NDJSON = 'application/x-ndjson';

/** A cursor as this service encodes them, holding whatever position a forger chose. */
const forged = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('audit trail and activity: forged cursors, filters and Accept', () => {
  let t: TestApp;
  let admin: SignedInClient;
  let user: SignedInClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedInAdmin(t.app);
    user = await registerAndLogin(t.app);
  });
  afterAll(() => t.close());

  const get = (client: SignedInClient, url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { ...bearer(client.accessToken), ...headers } });

  it('refuses a cursor of a year PostgreSQL does not have with 400, never 500', async () => {
    const id = randomUUID();
    for (const cursor of [
      forged(`a1|0000-01-01T00:00:00Z|${id}`),
      forged(`a1|0000-12-31T23:59:59.999999Z|${id}`),
      forged(`a1|2026-02-29T00:00:00Z|${id}`),
      forged(`a1|2026-01-01T00:00:00Z|${id.toUpperCase()}x`),
    ]) {
      for (const [client, url] of [
        [user, `/user/me/activity?cursor=${cursor}`],
        [admin, `/admin/audit?cursor=${cursor}`],
      ] as const) {
        const res = await get(client, url);
        expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
        expect(res.json().errors).toEqual([{ field: 'cursor', message: 'cursor is invalid' }]);
      }
    }
  });

  it('walks from a cursor of the first year PostgreSQL has: nothing is older', async () => {
    const cursor = forged(`a1|0001-01-01T00:00:00Z|${randomUUID()}`);
    for (const [client, url] of [
      [user, `/user/me/activity?cursor=${cursor}`],
      [admin, `/admin/audit?cursor=${cursor}`],
    ] as const) {
      const res = await get(client, url);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [], nextCursor: null });
    }
  });

  it('takes time filters at the edges of the calendar without a 500', async () => {
    const cases: [string, number][] = [
      ['0000-01-01T00:00:00Z', 400],
      ['0001-01-01T00:00:00+01:00', 400],
      ['9999-12-31T23:59:59-12:00', 200],
      ['2026-01-01T00:00:00+14:00', 200],
    ];
    for (const [bound, status] of cases) {
      for (const name of ['since', 'until']) {
        const res = await get(admin, `/admin/audit?${name}=${encodeURIComponent(bound)}&limit=1`);
        expect({ bound, name, status: res.statusCode }).toEqual({ bound, name, status });
      }
    }
  });

  it('filters exactly by the parameters given, never ignoring a malformed one', async () => {
    const actor = await registerAndLogin(t.app);
    await insertAuditRows(t.dataSource, [
      { occurredAt: new Date(), action: 'logout', actorId: actor.userId },
      { occurredAt: new Date(), action: 'login.failed', outcome: 'failure', actorId: actor.userId },
    ]);
    const page = await get(admin, `/admin/audit?actorId=${actor.userId}&outcome=failure`);
    expect(page.json().items.map((item: { action: string }) => item.action)).toEqual(['login.failed']);
    for (const query of [`actorId[]=${actor.userId}`, 'outcome[$ne]=success', 'action[]=logout']) {
      expect((await get(admin, `/admin/audit?${query}`)).statusCode).toBe(400);
    }
  });

  it('honours Accept q-values: NDJSON only when named with a weight above 0 and not below JSON', async () => {
    const actorId = (await registerAndLogin(t.app)).userId;
    await insertAuditRows(t.dataSource, [{ occurredAt: new Date(), actorId }]);
    const cases: [string, 'json' | 'ndjson'][] = [
      [NDJSON, 'ndjson'],
      [`${NDJSON};q=0`, 'json'],
      [`${NDJSON};q=0.0`, 'json'],
      [`application/json, ${NDJSON};q=0.5`, 'json'],
      [`${NDJSON};q=0.5, application/json;q=0.4`, 'ndjson'],
      [`${NDJSON}, */*`, 'ndjson'],
      ['*/*', 'json'],
      ['application/*', 'json'],
      [`${NDJSON};q=bogus`, 'json'],
    ];
    for (const [accept, expected] of cases) {
      const res = await get(admin, `/admin/audit?actorId=${actorId}`, { accept });
      expect(res.statusCode).toBe(200);
      const type = String(res.headers['content-type']);
      expect({ accept, type: type.startsWith(NDJSON) ? 'ndjson' : 'json' }).toEqual({ accept, type: expected });
    }
  });
});
