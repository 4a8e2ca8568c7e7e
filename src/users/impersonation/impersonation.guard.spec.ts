import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Roles } from '../../common/decorators/roles.decorator';
import { ImpersonationGuard } from './impersonation.guard';
import {
  ImpersonationForbidden,
  NotWhileImpersonating,
} from '../../common/decorators/not-while-impersonating.decorator';

class AccountController {
  @NotWhileImpersonating()
  changePassword(): void {}
  profile(): void {}
}

@Roles('admin')
class AdminController {
  list(): void {}
}

const USER = { id: 'u-1' };
const IMPERSONATED = { user: USER, sessionId: 's-1', impersonator: { id: 'a-1', email: 'admin@example.com' } };
const OWN = { user: USER, sessionId: 's-2' };

function contextOf(controller: new () => object, handler: string, user?: unknown): ExecutionContext {
  return {
    getClass: () => controller,
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

describe('ImpersonationGuard', () => {
  const guard = new ImpersonationGuard(new Reflector());

  it('refuses an impersonation token on a route marked @NotWhileImpersonating() with 403 impersonation_forbidden', () => {
    const refusal = (() => {
      try {
        guard.canActivate(contextOf(AccountController, 'changePassword', IMPERSONATED));
      } catch (error) {
        return error as ImpersonationForbidden;
      }
    })();
    expect(refusal).toBeInstanceOf(ImpersonationForbidden);
    expect(refusal?.getStatus()).toBe(403);
    expect(refusal?.extensions).toEqual({ code: 'impersonation_forbidden' });
  });

  it('refuses an impersonation token on every route limited to admins, before the role check', () => {
    expect(() => guard.canActivate(contextOf(AdminController, 'list', IMPERSONATED))).toThrow(ImpersonationForbidden);
  });

  it('lets an impersonation token through an unmarked route (looking at the account)', () => {
    expect(guard.canActivate(contextOf(AccountController, 'profile', IMPERSONATED))).toBe(true);
  });

  it("lets the user's own token through marked routes, and a public route's anonymous caller", () => {
    expect(guard.canActivate(contextOf(AccountController, 'changePassword', OWN))).toBe(true);
    expect(guard.canActivate(contextOf(AdminController, 'list', OWN))).toBe(true);
    expect(guard.canActivate(contextOf(AccountController, 'changePassword', undefined))).toBe(true);
  });
});
