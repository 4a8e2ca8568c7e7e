import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { authenticatedUserId } from './handler-context';

/**
 * The global interceptor: names the handler a request reached and the caller the guards admitted, on
 * the request itself, for its log line and its metric labels (both written by Fastify onResponse
 * hooks, which also see what never reaches a handler). It only tags: the handler's result passes
 * through untouched.
 */
@Injectable()
export class HandlerContextInterceptor implements NestInterceptor {
  /** Handler names by handler function: computed once per route, not per request. */
  private readonly names = new WeakMap<object, string>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      request.handlerContext = { handler: this.nameOf(context), userId: authenticatedUserId(request) };
    }
    return next.handle();
  }

  private nameOf(context: ExecutionContext): string {
    const handler = context.getHandler();
    let name = this.names.get(handler);
    if (name === undefined) {
      name = `${context.getClass().name}.${handler.name}`;
      this.names.set(handler, name);
    }
    return name;
  }
}
