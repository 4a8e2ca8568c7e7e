import { Repository } from 'typeorm';
import { AuditReader, AuditRow } from './audit-reader';
import { AuditEvent } from './entities/audit-event.entity';

/** A repository whose query() answers from a script of batches and keeps what it handed out. */
function scriptedEvents(batches: AuditRow[][]): {
  events: Repository<AuditEvent>;
  handedOut: AuditRow[][];
  params: unknown[][];
} {
  const handedOut: AuditRow[][] = [];
  const params: unknown[][] = [];
  const events = {
    query: (_sql: string, values: unknown[]): Promise<AuditRow[]> => {
      params.push(values);
      const rows = [...(batches[handedOut.length] ?? [])];
      handedOut.push(rows);
      return Promise.resolve(rows);
    },
  } as unknown as Repository<AuditEvent>;
  return { events, handedOut, params };
}

const row = (n: number): AuditRow => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  occurred_at: new Date(Date.UTC(2026, 10, 29, 18, 0, 0, n)),
  cursor_at: `2026-11-29T18:00:00.${String(n).padStart(6, '0')}Z`,
  action: 'logout',
  outcome: 'success',
  actor_id: null,
  target_user_id: null,
  ip_address: null,
  user_agent: null,
  request_id: null,
  details: { n },
});

/** The line the JSON API would write for row(n): the item's fields in order, no spaces. */
const line = (n: number): string =>
  `{"id":"${row(n).id}","occurredAt":"${row(n).occurred_at.toISOString()}","action":"logout","outcome":"success",` +
  `"actorId":null,"targetUserId":null,"ipAddress":null,"userAgent":null,"requestId":null,"details":{"n":${n}}}`;

describe('AuditReader.batches', () => {
  it('yields every line in order, each batch after the last row of the one before', async () => {
    const { events, params } = scriptedEvents([[row(1), row(2)], [row(3), row(4)], [row(5)]]);
    const seen: string[][] = [];
    for await (const batch of new AuditReader(events).batches({}, 2)) seen.push(batch);
    expect(seen).toEqual([[line(1), line(2)], [line(3), line(4)], [line(5)]]);
    expect(params).toEqual([[2], [row(2).cursor_at, row(2).id, 2], [row(4).cursor_at, row(4).id, 2]]);
  });

  it('empties each row array the driver returned before yielding its lines', async () => {
    // pg's query object (kept reachable by its cleared query_timeout timer) holds this very array:
    // rows left in it are promoted to old space with it, and the export's heap climbs by ~200 MB.
    const { events, handedOut } = scriptedEvents([[row(1), row(2)], [row(3)]]);
    const generator = new AuditReader(events).batches({}, 2);
    const first = await generator.next();
    expect(first.value).toEqual([line(1), line(2)]);
    expect(handedOut[0]).toHaveLength(0);
    for await (const batch of generator) expect(batch).toEqual([line(3)]);
    expect(handedOut.map((rows) => rows.length)).toEqual([0, 0]);
  });

  it('stops after an empty first batch without yielding', async () => {
    const { events, handedOut } = scriptedEvents([[]]);
    const seen: string[][] = [];
    for await (const batch of new AuditReader(events).batches({}, 2)) seen.push(batch);
    expect(seen).toEqual([]);
    expect(handedOut).toHaveLength(1);
  });
});
