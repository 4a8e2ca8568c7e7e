import { FastifyInstance } from 'fastify';
import { ProblemException } from '../problem-details/problem.exception';
import { replyWithProblem } from '../problem-details/problem-reply';
import { BodyShapeFault, bodyShapeFault, MAX_BODY_DEPTH, MAX_BODY_ENTRIES } from './body-shape';

const DETAILS: Record<BodyShapeFault, string> = {
  'too-many-entries': `The request body holds more than ${MAX_BODY_ENTRIES} keys and array items in total`,
  'too-deep': `The request body is nested deeper than ${MAX_BODY_DEPTH} levels`,
};

export function bodyShapeProblem(fault: BodyShapeFault): ProblemException {
  return new ProblemException(400, DETAILS[fault]);
}

/**
 * The exact rule on the parsed body, whatever parser produced it, before validation and
 * class-transformer (whose key handling is quadratic) ever see it; the parsers' byte scans have
 * already refused the bodies that would be costly to parse.
 */
export function registerBodyShapeCheck(fastify: FastifyInstance): void {
  // A callback hook: bodiless requests pass straight through without a promise per request.
  fastify.addHook('preValidation', (request, reply, done) => {
    const fault = bodyShapeFault(request.body);
    if (fault === undefined) return done();
    replyWithProblem(bodyShapeProblem(fault), request, reply);
  });
}
