import { FastifyRequest } from 'fastify';
import { AuthCookies } from '../auth-cookies';
import { presentedAccessToken } from './presented-access-token';

const cookies = { sessionToken: (request: FastifyRequest) => request.cookies?.user_session } as AuthCookies;
const request = (authorization?: string, session?: string) =>
  ({ headers: authorization ? { authorization } : {}, cookies: session ? { user_session: session } : {} }) as never;

describe('presentedAccessToken', () => {
  it('takes the bearer token over the session cookie', () => {
    expect(presentedAccessToken(request('Bearer header.token', 'cookie.token'), cookies)).toBe('header.token');
  });

  it('reads the scheme in any case', () => {
    expect(presentedAccessToken(request('bearer header.token'), cookies)).toBe('header.token');
  });

  it('falls back to the session cookie without a bearer header, or with another scheme', () => {
    expect(presentedAccessToken(request(undefined, 'cookie.token'), cookies)).toBe('cookie.token');
    expect(presentedAccessToken(request('Basic dXNlcjpwYXNz', 'cookie.token'), cookies)).toBe('cookie.token');
  });

  it('finds nothing when neither is presented', () => {
    expect(presentedAccessToken(request(), cookies)).toBeUndefined();
  });
});
