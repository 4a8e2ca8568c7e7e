import { resolveReturnTo } from './return-to';

const FRONTEND = 'https://app.example.com';
const CORS = ['https://admin.example.com'];

describe('resolveReturnTo', () => {
  it.each([
    ['//evil.example'],
    ['/\\evil.example'],
    ['https:evil.example'],
    ['javascript:alert(1)'],
    ['https://app.example.com@evil.example'],
    ['https://app.example.com.evil.example'],
    ['/ok\t'],
    ['/a\nb'],
    ['data:text/html,hi'],
    ['https://user:pw@app.example.com/'],
    ['http://app.example.com/'],
  ])('refuses %j', (raw) => {
    expect(resolveReturnTo(raw, FRONTEND, CORS)).toBeUndefined();
  });

  it('defaults to the front end root', () => {
    expect(resolveReturnTo(undefined, FRONTEND, CORS)).toBe('https://app.example.com/');
  });

  it('resolves a path against the front end', () => {
    expect(resolveReturnTo('/settings?tab=1', FRONTEND, CORS)).toBe('https://app.example.com/settings?tab=1');
  });

  it('accepts an absolute URL on a CORS origin', () => {
    expect(resolveReturnTo('https://admin.example.com/x', FRONTEND, CORS)).toBe('https://admin.example.com/x');
  });
});
