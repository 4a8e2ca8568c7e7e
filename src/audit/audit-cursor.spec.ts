import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';

const POSITION = { occurredAt: '2026-11-29T18:10:06.123456Z', id: '0b6c3f55-7c3c-4c8e-9d8a-3b2f0c1e5a77' };

describe('audit cursor', () => {
  it('decodes what it encoded, microseconds included', () => {
    expect(decodeAuditCursor(encodeAuditCursor(POSITION))).toEqual(POSITION);
  });

  it('decodes the first year PostgreSQL knows', () => {
    const first = { ...POSITION, occurredAt: '0001-01-01T00:00:00Z' };
    expect(decodeAuditCursor(encodeAuditCursor(first))).toEqual(first);
  });

  it('is opaque url-safe text', () => {
    expect(encodeAuditCursor(POSITION)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['random text', Buffer.from('hello').toString('base64url')],
    ['another version', Buffer.from(`v9|${POSITION.occurredAt}|${POSITION.id}`).toString('base64url')],
    ['a bad uuid', Buffer.from(`a1|${POSITION.occurredAt}|not-a-uuid`).toString('base64url')],
    ['a bad time', Buffer.from(`a1|yesterday|${POSITION.id}`).toString('base64url')],
    ['an impossible date', Buffer.from(`a1|2026-13-45T99:00:00Z|${POSITION.id}`).toString('base64url')],
    ['a day that does not exist', Buffer.from(`a1|2026-02-30T10:00:00Z|${POSITION.id}`).toString('base64url')],
    [
      'year 0000 (no such year in PostgreSQL)',
      Buffer.from(`a1|0000-01-01T00:00:00Z|${POSITION.id}`).toString('base64url'),
    ],
    ['extra parts', Buffer.from(`a1|${POSITION.occurredAt}|${POSITION.id}|x`).toString('base64url')],
    ['too long', 'A'.repeat(300)],
  ])('refuses %s', (_name, text) => {
    expect(decodeAuditCursor(text)).toBeUndefined();
  });
});
