import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { FastifyInstance, onRequestHookHandler } from 'fastify';
import { AddRouteConfig } from '../decorators/route-config.decorator';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { ProblemException } from '../problem-details/problem.exception';
import { replyWithProblem } from '../problem-details/problem-reply';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by @JsonBodyOnly(): a body of any other type is refused with 415 before it is parsed. */
    jsonBodyOnly?: boolean;
  }
}

/**
 * A route whose body is JSON only (the WebAuthn routes: their credential is nested, which a form
 * cannot carry), documented as such, with the answers given before the route's code runs.
 */
export function JsonBodyOnly(type?: new () => unknown, options: { required?: boolean } = {}): MethodDecorator {
  return applyDecorators(
    AddRouteConfig({ jsonBodyOnly: true }),
    ApiConsumes('application/json'),
    ...(type ? [ApiBody({ type, required: options.required ?? true })] : []),
    ApiProblems(400, 413, 415),
  );
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0].trim().toLowerCase() || undefined;
}

/** Refuses a request that declares a body of another type than JSON: 415, unparsed. */
const refuseOtherBodies: onRequestHookHandler = (request, reply, done) => {
  const type = mediaType(request.headers['content-type']);
  if (type === undefined || type === 'application/json') return done();
  replyWithProblem(new ProblemException(415, 'This route takes a JSON body only (application/json)'), request, reply);
};

/**
 * Gives each @JsonBodyOnly() route the check, as a hook of its own (it runs after the global ones, so
 * its 415 carries the request id and security headers): the other routes do not pay for it.
 */
export function registerJsonBodyOnlyCheck(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (route.config?.jsonBodyOnly !== true) return;
    const own =
      route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...own, refuseOtherBodies];
  });
}
