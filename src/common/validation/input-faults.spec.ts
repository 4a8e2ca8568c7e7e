import { bracketedQueryKeyFaults, forbiddenKeyFaults, textFaults } from './input-faults';

describe('textFaults', () => {
  it('names text with a lone surrogate, in a value or a key; a surrogate pair is fine', () => {
    const body = { a: 'x\ud800', b: '\udfff', 'c\ud800': 1, d: '\u{1f600}' };
    expect(
      textFaults(body)
        .map((error) => error.field)
        .sort(),
    ).toEqual(['a', 'b', 'c\ud800']);
    expect(textFaults({ a: 'x\ud800' })[0].message).toBe('a must be well-formed Unicode text (no lone surrogate)');
  });

  it('names every field whose value or key holds a NUL, nested ones by their dotted path', () => {
    const body = { a: 'ok', b: 'x\u0000', c: { d: ['fine', '\u0000'] }, 'e\u0000': 1 };
    expect(
      textFaults(body)
        .map((error) => error.field)
        .sort(),
    ).toEqual(['b', 'c.d.1', 'e\u0000']);
  });

  it('names a bare string body "body", and finds nothing in clean or non-text input', () => {
    expect(textFaults('\u0000')).toEqual([{ field: 'body', message: 'body must not contain a NUL character' }]);
    for (const input of [undefined, null, 1, true, 'text', [], {}, { a: [1, { b: 'c' }] }]) {
      expect(textFaults(input)).toEqual([]);
    }
  });

  it('stops at ten fields', () => {
    expect(textFaults(Array.from({ length: 50 }, () => '\u0000'))).toHaveLength(10);
  });

  it('reads null-prototype objects, as the form and query parsers make them', () => {
    const query = Object.assign(Object.create(null) as object, { cursor: 'a\u0000' });
    expect(textFaults(query)).toEqual([{ field: 'cursor', message: 'cursor must not contain a NUL character' }]);
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

describe('forbiddenKeyFaults', () => {
  it('names every __proto__ or constructor key, at any depth', () => {
    const body = JSON.parse('{"constructor":"x","a":{"b":[{"__proto__":1}]},"constructorName":"ok"}') as unknown;
    expect(
      forbiddenKeyFaults(body)
        .map((error) => error.field)
        .sort(),
    ).toEqual(['a.b.0.__proto__', 'constructor']);
    expect(forbiddenKeyFaults({ a: 'constructor' })).toEqual([]);
  });
});
