import { Repository } from 'typeorm';
import { AuditReader } from './audit-reader';
import { AuditEvent } from './entities/audit-event.entity';

interface LineRow {
  id: string;
  cursor_at: string;
  line: string;
}

/** A repository whose query() answers from a script of batches and keeps what it handed out. */
function scriptedEvents(batches: LineRow[][]): {
  events: Repository<AuditEvent>;
  handedOut: LineRow[][];
  params: unknown[][];
} {
  const handedOut: LineRow[][] = [];
  const params: unknown[][] = [];
  const events = {
    query: (_sql: string, values: unknown[]): Promise<LineRow[]> => {
      params.push(values);
      const rows = [...(batches[handedOut.length] ?? [])];
      handedOut.push(rows);
      return Promise.resolve(rows);
    },
  } as unknown as Repository<AuditEvent>;
  return { events, handedOut, params };
}

const row = (n: number): LineRow => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  cursor_at: `2026-11-29T18:00:00.${String(n).padStart(6, '0')}Z`,
  line: `{"n":${n}}`,
});

describe('AuditReader.batches', () => {
  it('yields every line in order, each batch after the last row of the one before', async () => {
    const { events, params } = scriptedEvents([[row(1), row(2)], [row(3), row(4)], [row(5)]]);
    const seen: string[][] = [];
    for await (const batch of new AuditReader(events).batches({}, 2)) seen.push(batch);
    expect(seen).toEqual([['{"n":1}', '{"n":2}'], ['{"n":3}', '{"n":4}'], ['{"n":5}']]);
    expect(params).toEqual([[2], [row(2).cursor_at, row(2).id, 2], [row(4).cursor_at, row(4).id, 2]]);
  });

  it('empties each row array the driver returned before yielding its lines', async () => {
    // pg's query object (kept reachable by its cleared query_timeout timer) holds this very array:
    // rows left in it are promoted to old space with it, and the export's heap climbs by ~200 MB.
    const { events, handedOut } = scriptedEvents([[row(1), row(2)], [row(3)]]);
    const generator = new AuditReader(events).batches({}, 2);
    const first = await generator.next();
    expect(first.value).toEqual(['{"n":1}', '{"n":2}']);
    expect(handedOut[0]).toHaveLength(0);
    for await (const batch of generator) expect(batch).toEqual(['{"n":3}']);
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
