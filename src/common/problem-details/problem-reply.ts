import { Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { OutageLog } from './outage-log';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { problemFromError } from './problem-from-error';

const logger = new Logger('Errors');

/**
 * Writes any error as problem+json. Only a failure of the service is logged at ERROR with its stack;
 * a deliberate 5xx refusal gets one WARNING line with its reason; an outage goes to the OutageLog (one
 * line when it begins, one when it ends); a client's 4xx has its request line (WARNING) and no more.
 */
export function replyWithProblem(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  outages?: OutageLog,
): void {
  const instance = request.url.split('?')[0];
  const { problem, headers, cause } = problemFromError(error, instance, String(request.id));
  const fields = { request_id: request.id, method: request.method, path: instance, status_code: problem.status };
  if (cause === 'failure') {
    logger.error({ ...fields, err: error }, 'request failed');
  } else if (cause === 'outage') {
    if (outages) outages.refused(error);
    else logger.warn(fields, 'request refused: the database is unavailable');
  } else if (problem.status >= 500) {
    logger.warn({ ...fields, detail: problem.detail }, 'request refused');
  }
  void reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}
