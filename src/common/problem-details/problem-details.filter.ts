import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { replyWithProblem } from './problem-reply';

/** The single exit for every error raised inside Nest (guards, pipes, handlers, unknown routes). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    replyWithProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
