import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { AuthenticatedUser } from '../authenticated-user';

/** The authenticated caller that the JWT guard placed on the request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser =>
    (context.switchToHttp().getRequest<FastifyRequest>() as FastifyRequest & { user: AuthenticatedUser }).user,
);
