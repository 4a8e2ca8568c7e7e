import { FastifyInstance } from 'fastify';
import { ValidationFailedException } from '../problem-details/problem.exception';
import { replyWithProblem } from '../problem-details/problem-reply';
import { bracketedQueryKeyFaults, nulCharacterFaults } from './input-faults';

/**
 * Rules every input of every route obeys, whatever its handler declares, checked once the body is
 * parsed and its shape judged, before guards and pipes: no NUL character in any string (path, query
 * or body; PostgreSQL cannot store one, so it must never reach a query), and no `[`/`]` in a query
 * key (parameters are scalars). Either answers 400 with the fields named.
 */
export function registerRequestInputCheck(fastify: FastifyInstance): void {
  // A callback hook: requests with nothing to check pass straight through without a promise each.
  fastify.addHook('preValidation', (request, reply, done) => {
    const errors = bracketedQueryKeyFaults(request.query);
    nulCharacterFaults(request.params, errors);
    nulCharacterFaults(request.query, errors);
    if (request.body !== undefined) nulCharacterFaults(request.body, errors);
    if (errors.length === 0) return done();
    replyWithProblem(new ValidationFailedException(errors), request, reply);
  });
}
