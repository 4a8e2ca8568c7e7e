import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Mocked, newTestService } from '../../common/testing/automock';
import { Public } from '../../common/decorators/public.decorator';
import { MetricsService } from '../../metrics/metrics.service';
import { SecurityLogger } from '../../security/security-logger';
import { AuthenticatedUser } from '../../users/authenticated-user';
import { InvalidClaimsError, RevokedTokenError } from '../strategies/jwt.strategy';
import { JwtAuthGuard, rejectionReason } from './jwt-auth.guard';
import { UnauthorizedProblem } from './unauthorized.exception';

class Routes {
  @Public()
  open(): void {}

  guarded(): void {}
}

function call(handler: keyof Routes): ExecutionContext {
  const request = { ip: '203.0.113.9', routeOptions: { url: `/${handler}` } };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
}

const named = (name: string, message = '') => Object.assign(new Error(message), { name });
const CALLER = { sessionId: 's-1' } as AuthenticatedUser;

describe('JwtAuthGuard', () => {
  let guard: JwtAuthGuard;
  let security: Mocked<SecurityLogger>;
  let metrics: Mocked<MetricsService>;

  beforeEach(async () => {
    const { sut, mock } = await newTestService(JwtAuthGuard, [Reflector]);
    guard = sut;
    security = mock(SecurityLogger);
    metrics = mock(MetricsService);
  });

  const refusal = (error: unknown, info?: unknown) => {
    try {
      guard.handleRequest(error, false, info, call('guarded'));
    } catch (thrown) {
      return thrown;
    }
    throw new Error('the guard let the request through');
  };

  it('lets a @Public() route through without asking the JWT strategy', async () => {
    const passport = jest.spyOn(Object.getPrototypeOf(JwtAuthGuard.prototype) as JwtAuthGuard, 'canActivate');
    expect(await guard.canActivate(call('open'))).toBe(true);
    expect(passport).not.toHaveBeenCalled();
    passport.mockRestore();
  });

  it('hands every other route to the JWT strategy', async () => {
    const passport = jest
      .spyOn(Object.getPrototypeOf(JwtAuthGuard.prototype) as JwtAuthGuard, 'canActivate')
      .mockResolvedValue(true);
    expect(await guard.canActivate(call('guarded'))).toBe(true);
    expect(passport).toHaveBeenCalled();
    passport.mockRestore();
  });

  it('passes on the caller the strategy accepted', () => {
    expect(guard.handleRequest(null, CALLER, undefined, call('guarded'))).toBe(CALLER);
  });

  it('refuses an expired token with the one 401, logged and counted as expired', () => {
    expect(refusal(null, named('TokenExpiredError', 'jwt expired'))).toBeInstanceOf(UnauthorizedProblem);
    expect(security.warn).toHaveBeenCalledWith('token_rejected', {
      reason: 'expired',
      ip_address: '203.0.113.9',
      route: '/guarded',
    });
    expect(metrics.tokenRejected).toHaveBeenCalledWith('expired');
  });

  it('refuses a token whose user, version or session no longer holds as revoked', () => {
    expect(refusal(new RevokedTokenError())).toBeInstanceOf(UnauthorizedProblem);
    expect(metrics.tokenRejected).toHaveBeenCalledWith('revoked');
  });

  it('refuses a request without a token with 401, and writes no log line for it', () => {
    expect(refusal(null, new Error('No auth token'))).toBeInstanceOf(UnauthorizedProblem);
    expect(security.warn).not.toHaveBeenCalled();
    expect(metrics.tokenRejected).not.toHaveBeenCalled();
  });

  it('lets a database failure during the token check out as it is: an outage, not a bad token', () => {
    const outage = new Error('Connection terminated');
    expect(refusal(outage)).toBe(outage);
    expect(metrics.tokenRejected).not.toHaveBeenCalled();
  });

  it.each([
    [new InvalidClaimsError(), 'bad_claims'],
    [named('JsonWebTokenError', 'invalid signature'), 'bad_signature'],
    [named('JsonWebTokenError', 'invalid algorithm'), 'bad_algorithm'],
    [named('JsonWebTokenError', 'jwt audience invalid. expected: x'), 'bad_claims'],
    [named('JsonWebTokenError', 'jwt malformed'), 'malformed'],
  ])('names the reason of a refused token for the log: %s is %s', (error, reason) => {
    expect(rejectionReason(error)).toBe(reason);
  });
});
