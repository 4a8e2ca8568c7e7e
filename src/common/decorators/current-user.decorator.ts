import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';

/**
 * The authenticated caller that the JWT guard placed on request.user. Its type is the parameter's
 * (`@CurrentUser() caller: AuthenticatedUser`), so that common/ need not know the users module.
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown =>
    (context.switchToHttp().getRequest<FastifyRequest>() as FastifyRequest & { user?: unknown }).user,
);
