import { ArgumentsHost, Catch, ExceptionFilter, Optional } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { OutageLog } from './outage-log';
import { replyWithProblem } from './problem-reply';

/** The single exit for every error raised inside Nest (guards, pipes, handlers, unknown routes). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Optional() private readonly outages?: OutageLog) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    replyWithProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.outages);
  }
}
