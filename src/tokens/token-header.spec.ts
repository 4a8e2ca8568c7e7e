import { headerOf } from './token-header';

const encoded = (value: string): string => Buffer.from(value).toString('base64url');

describe('headerOf', () => {
  it("reads a compact JWT's header object", () => {
    expect(headerOf(`${encoded('{"alg":"ES256","kid":"k1"}')}.payload.signature`)).toEqual({ alg: 'ES256', kid: 'k1' });
  });

  it('gives nothing for a token without a header part, or one that is not JSON of an object', () => {
    expect(headerOf('no-dots-at-all')).toBeUndefined();
    expect(headerOf('.payload.signature')).toBeUndefined();
    expect(headerOf(`${encoded('not json')}.p.s`)).toBeUndefined();
    expect(headerOf(`${encoded('"a string"')}.p.s`)).toBeUndefined();
    expect(headerOf(`${encoded('null')}.p.s`)).toBeUndefined();
  });
});
