import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { ROLES } from '../../common/decorators/roles.decorator';
import { RouteMetadata } from '../../common/decorators/route-metadata';
import { UserRole } from '../../common/user-role';
import { AuthenticatedUser } from '../authenticated-user';
import {
  ImpersonationForbidden,
  NOT_WHILE_IMPERSONATING,
} from '../../common/decorators/not-while-impersonating.decorator';

/**
 * A global guard, after authentication and before the role check: an impersonation token is refused
 * (403 impersonation_forbidden) on a route marked @NotWhileImpersonating() and on every route limited
 * to admins. Ordinary tokens pass at the cost of one property read.
 */
@Injectable()
export class ImpersonationGuard implements CanActivate {
  private readonly forbidden: RouteMetadata<boolean>;
  private readonly roles: RouteMetadata<UserRole[]>;

  constructor(reflector: Reflector) {
    this.forbidden = new RouteMetadata(reflector, NOT_WHILE_IMPERSONATING);
    this.roles = new RouteMetadata(reflector, ROLES);
  }

  canActivate(context: ExecutionContext): boolean {
    const caller = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedUser }>().user;
    if (!caller?.impersonator) return true;
    if (this.forbidden.of(context) || this.roles.of(context)?.includes('admin')) throw new ImpersonationForbidden();
    return true;
  }
}

/** For a route that refuses only some of an impersonation token's requests (ending another session). */
export function refuseWhileImpersonating(caller: AuthenticatedUser): void {
  if (caller.impersonator) throw new ImpersonationForbidden();
}
