import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { ConnectionError, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemFor, statusTitle } from './problem';
import { replyWithProblem } from './problem-reply';

const logger = new Logger('Errors');

/** Errors Node's HTTP parser raises before there is a request, with the status each deserves. */
const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time' },
};
const MALFORMED = { status: 400, detail: 'The request is not valid HTTP' };
const REQUEST_LINE = /^[A-Z]+ (\/[^\s?]{0,2047})[^\s]* HTTP\/1\.[01]\r\n/;

/**
 * Fastify's `frameworkErrors`: a malformed URL (`/user/%zz`) is refused before routing, so the
 * onRequest hooks never ran; the request id and the API's security headers are set here instead.
 */
export function frameworkErrorHandler(headers: Record<string, string>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    void reply.headers({ ...headers, 'x-request-id': request.id, 'cache-control': 'no-store' });
    replyWithProblem(error, request, reply);
  };
}

/**
 * Fastify's `clientErrorHandler`: a request Node could not parse (headers over its 16 KiB limit, a
 * broken request line, a timeout) is answered in problem+json on the socket itself and closed.
 */
export function clientErrorHandler(headers: Record<string, string>) {
  const securityHeaders = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (error: ConnectionError, socket: Socket): void => {
    // A reset connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, detail } = CLIENT_ERRORS[error.code] ?? MALFORMED;
    const requestId = randomUUID();
    // The path when Node kept the request line; the root when it did not. Typed as JSON, it is a Buffer.
    const packet: unknown = error.rawPacket;
    const head = Buffer.isBuffer(packet) ? packet.toString('latin1', 0, 4096) : '';
    const instance = REQUEST_LINE.exec(head)?.[1] ?? '/';
    const problem = problemFor(status, detail, instance, requestId);
    logger.warn({ request_id: requestId, status_code: status, code: error.code }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify(problem);
      socket.write(
        `HTTP/1.1 ${status} ${statusTitle(status)}\r\n` +
          `content-type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\n` +
          `x-request-id: ${requestId}\r\ncache-control: no-store\r\n${securityHeaders}connection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
