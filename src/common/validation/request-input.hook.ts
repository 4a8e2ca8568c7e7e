import { FastifyInstance } from 'fastify';
import { ValidationFailedException } from '../problem-details/problem.exception';
import { replyWithProblem } from '../problem-details/problem-reply';
import { bracketedQueryKeyFaults, forbiddenKeyFaults, textFaults } from './input-faults';

/**
 * Rules every input of every route obeys, whatever its handler declares, checked once the body is
 * parsed and its shape judged, before guards and pipes: no NUL character or lone surrogate in any
 * string (path, query or body; PostgreSQL cannot store a NUL, so it must never reach a query, and
 * validator.js throws on a lone surrogate), no `__proto__` or
 * `constructor` key in a body, and no `[`/`]` in a query key (parameters are scalars). Each answers
 * 400 with the fields named.
 */
export function registerRequestInputCheck(fastify: FastifyInstance): void {
  // A callback hook: requests with nothing to check pass straight through without a promise each.
  fastify.addHook('preValidation', (request, reply, done) => {
    const errors = bracketedQueryKeyFaults(request.query);
    textFaults(request.params, errors);
    textFaults(request.query, errors);
    if (request.body !== undefined) {
      textFaults(request.body, errors);
      forbiddenKeyFaults(request.body, errors);
    }
    if (errors.length === 0) return done();
    replyWithProblem(new ValidationFailedException(errors), request, reply);
  });
}
