import { Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { markDecidedFault } from './decided-fault';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { problemFromError } from './problem-from-error';

const logger = new Logger('Errors');

/** Writes any error as problem+json; failures of the service are logged with their stack. */
export function replyWithProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const instance = request.url.split('?')[0];
  const { problem, headers, unexpected } = problemFromError(error, instance, String(request.id));
  if (!unexpected && problem.status >= 500) markDecidedFault(request);
  if (unexpected) {
    logger.error(
      { request_id: request.id, method: request.method, path: instance, status_code: problem.status, err: error },
      'request failed',
    );
  }
  void reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}
