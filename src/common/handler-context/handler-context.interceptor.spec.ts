import { CallHandler, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { lastValueFrom, of } from 'rxjs';
import { HandlerContextInterceptor } from './handler-context.interceptor';

class MeController {
  me(): void {}
}

function httpContext(request: Partial<FastifyRequest>): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => MeController,
    getHandler: () => MeController.prototype.me,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('HandlerContextInterceptor', () => {
  const interceptor = new HandlerContextInterceptor();
  const next: CallHandler = { handle: () => of({ id: 'result' }) };

  it('tags the request with the handler name and the authenticated caller, and passes the result through', async () => {
    const request = { user: { user: { id: 'u-1' }, sessionId: 's-1' } } as unknown as FastifyRequest;
    const result = await lastValueFrom(interceptor.intercept(httpContext(request), next));
    expect(result).toEqual({ id: 'result' });
    expect(request.handlerContext).toEqual({ handler: 'MeController.me', userId: 'u-1' });
  });

  it('names no caller on a public route', async () => {
    const request = {} as FastifyRequest;
    await lastValueFrom(interceptor.intercept(httpContext(request), next));
    expect(request.handlerContext).toEqual({ handler: 'MeController.me', userId: null });
  });
});
