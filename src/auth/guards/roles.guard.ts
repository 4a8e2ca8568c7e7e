import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { ProblemException } from '../../common/problem-details/problem.exception';
import { UserRole } from '../../users/entities/user.entity';
import { AuthenticatedUser } from '../../users/authenticated-user';
import { ROLES } from '../../common/decorators/roles.decorator';
import { RouteMetadata } from '../../common/decorators/route-metadata';

@Injectable()
export class RolesGuard implements CanActivate {
  private readonly roles: RouteMetadata<UserRole[]>;

  constructor(reflector: Reflector) {
    this.roles = new RouteMetadata(reflector, ROLES);
  }

  canActivate(context: ExecutionContext): boolean {
    const roles = this.roles.of(context);
    if (!roles?.length) return true;
    const caller = (
      context.switchToHttp().getRequest<FastifyRequest>() as FastifyRequest & { user?: AuthenticatedUser }
    ).user;
    if (caller && roles.includes(caller.user.role)) return true;
    throw new ProblemException(403, 'This route is for administrators only');
  }
}
