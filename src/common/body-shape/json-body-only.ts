import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { FastifyInstance } from 'fastify';
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

/** Refuses, on @JsonBodyOnly() routes, a request that declares a body of another type: 415, unparsed. */
export function registerJsonBodyOnlyCheck(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config?.jsonBodyOnly !== true) return done();
    const type = mediaType(request.headers['content-type']);
    if (type === undefined || type === 'application/json') return done();
    replyWithProblem(new ProblemException(415, 'This route takes a JSON body only (application/json)'), request, reply);
  });
}
