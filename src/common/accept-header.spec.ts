import { acceptQuality } from './accept-header';

const NDJSON = 'application/x-ndjson';

describe('acceptQuality', () => {
  it.each([
    [undefined, 0],
    ['', 0],
    [NDJSON, 1],
    ['Application/X-NDJSON', 1],
    [`${NDJSON};q=0`, 0],
    [`${NDJSON}; q=0.5`, 0.5],
    [`${NDJSON};q=1.000`, 1],
    [`${NDJSON};q=abc`, 0],
    [`${NDJSON};q=2`, 0],
    [`${NDJSON};q=0.0001`, 0],
    [`application/json, ${NDJSON};q=0.8`, 0.8],
  ])('reads %p as %p for NDJSON', (accept, quality) => {
    expect(acceptQuality(accept, NDJSON)).toBe(quality);
  });

  it('takes the weight of the most specific matching range', () => {
    expect(acceptQuality('*/*;q=0.1, application/*;q=0.5, application/json', 'application/json')).toBe(1);
    expect(acceptQuality('*/*;q=0.1, application/*;q=0.5', 'application/json')).toBe(0.5);
    expect(acceptQuality('*/*;q=0.1', 'application/json')).toBe(0.1);
    expect(acceptQuality('application/json;q=0, */*', 'application/json')).toBe(0);
  });

  it('ignores wildcards when asked for an exact match only', () => {
    expect(acceptQuality('*/*', NDJSON, true)).toBe(0);
    expect(acceptQuality('application/*', NDJSON, true)).toBe(0);
    expect(acceptQuality(`*/*, ${NDJSON};q=0.3`, NDJSON, true)).toBe(0.3);
  });
});
