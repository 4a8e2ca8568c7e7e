import { bracketedQueryKeyFaults, nulCharacterFaults } from './input-faults';

describe('nulCharacterFaults', () => {
  it('names every field whose value or key holds a NUL, nested ones by their dotted path', () => {
    const body = { a: 'ok', b: 'x\u0000', c: { d: ['fine', '\u0000'] }, 'e\u0000': 1 };
    expect(
      nulCharacterFaults(body)
        .map((error) => error.field)
        .sort(),
    ).toEqual(['b', 'c.d.1', 'e\u0000']);
  });

  it('names a bare string body "body", and finds nothing in clean or non-text input', () => {
    expect(nulCharacterFaults('\u0000')).toEqual([{ field: 'body', message: 'body must not contain a NUL character' }]);
    for (const input of [undefined, null, 1, true, 'text', [], {}, { a: [1, { b: 'c' }] }]) {
      expect(nulCharacterFaults(input)).toEqual([]);
    }
  });

  it('stops at ten fields', () => {
    expect(nulCharacterFaults(Array.from({ length: 50 }, () => '\u0000'))).toHaveLength(10);
  });

  it('reads null-prototype objects, as the form and query parsers make them', () => {
    const query = Object.assign(Object.create(null) as object, { cursor: 'a\u0000' });
    expect(nulCharacterFaults(query)).toEqual([
      { field: 'cursor', message: 'cursor must not contain a NUL character' },
    ]);
  });
});

describe('bracketedQueryKeyFaults', () => {
  it('names every key with [ or ], and nothing else', () => {
    const query = { 'action[]': 'a', 'outcome[$ne]': 'x', 'limit]': '5', limit: '5', plain: ['a', 'b'] };
    expect(bracketedQueryKeyFaults(query).map((error) => error.field)).toEqual(['action[]', 'outcome[$ne]', 'limit]']);
    expect(bracketedQueryKeyFaults({})).toEqual([]);
    expect(bracketedQueryKeyFaults(undefined)).toEqual([]);
  });
});
