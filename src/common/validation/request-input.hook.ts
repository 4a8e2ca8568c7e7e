import { FastifyInstance } from 'fastify';
import { AddRouteConfig } from '../decorators/route-config.decorator';
import { FieldError } from '../problem-details/problem';
import { ValidationFailedException } from '../problem-details/problem.exception';
import { replyWithProblem } from '../problem-details/problem-reply';
import { bracketedQueryKeyFaults, forbiddenKeyFaults, textFaults } from './input-faults';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by @AnswersMalformedInput(): the route answers bad input itself (the OpenID callback's 302). */
    answersMalformedInput?: boolean;
  }
}

/**
 * On a route whose contract answers every input, however malformed, itself (the OpenID callback
 * redirects with `error=invalid_request`, never problem details): the checks below are skipped, and
 * the handler reads only the parameters it knows, as plain text.
 */
export function AnswersMalformedInput(): MethodDecorator {
  return AddRouteConfig({ answersMalformedInput: true });
}

function hasKeys(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (const _key in value) return true;
  return false;
}

/**
 * Rules every input of every route obeys, whatever its handler declares, checked once the body is
 * parsed and its shape judged, before guards and pipes: no NUL character or lone surrogate in any
 * string (path, query or body; PostgreSQL cannot store a NUL, so it must never reach a query, and
 * validator.js throws on a lone surrogate), no `__proto__` or `constructor` key in a body, and no
 * `[`/`]` in a query key (parameters are scalars). Each answers 400 with the fields named.
 */
export function registerRequestInputCheck(fastify: FastifyInstance): void {
  // A callback hook, with nothing allocated for a request without query, path parameters or body
  // (GET /user/me, the hot path): those pass straight through.
  fastify.addHook('preValidation', (request, reply, done) => {
    if (request.routeOptions.config?.answersMalformedInput === true) return done();
    let errors: FieldError[] | undefined;
    if (hasKeys(request.query)) errors = textFaults(request.query, bracketedQueryKeyFaults(request.query));
    if (hasKeys(request.params)) errors = textFaults(request.params, errors);
    if (request.body !== undefined) errors = forbiddenKeyFaults(request.body, textFaults(request.body, errors));
    if (errors === undefined || errors.length === 0) return done();
    replyWithProblem(new ValidationFailedException(errors), request, reply);
  });
}
