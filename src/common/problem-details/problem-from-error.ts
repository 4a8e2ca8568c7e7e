import { HttpException } from '@nestjs/common';
import { FieldError, Problem, problemFor, statusTitle } from './problem';
import { ProblemException, ProblemExtensions } from './problem.exception';

/**
 * Why the request failed, which decides how it is logged: a refusal (the client's mistake, or a
 * deliberate answer such as 503 "mail is not configured") below ERROR and without a stack; an outage
 * once for its whole duration (OutageLog); only a failure of the service itself at ERROR with its stack.
 */
export type ProblemCause = 'refusal' | 'outage' | 'failure';

export interface ProblemReply {
  problem: Problem;
  headers: Record<string, string>;
  cause: ProblemCause;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
}

/** Fastify's own client errors, answered with a fixed message: never the internal text. */
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    'This Content-Type is not supported: send application/json or application/x-www-form-urlencoded',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but its Content-Type is application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_CTP_EMPTY_TYPE: 'The Content-Type header is empty',
  FST_ERR_CTP_INVALID_TYPE: 'The Content-Type header is malformed',
  FST_ERR_BAD_URL: 'The URL is malformed (an invalid percent-encoding)',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
};

const DATABASE_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '53300', // too_many_connections
]);

/**
 * SQLSTATEs of a lost primary: class 08 connection exception, 57P01-03 operator intervention (shutdown,
 * crash, starting up), and 25006 read_only_sql_transaction: a write that reached a standby (a TCP front
 * that moved to it before its promotion) finds no primary, which is the same outage.
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3]|25006)$/;

/**
 * Raised by TypeORM when the connection under a transaction (or the entity manager's own query runner)
 * died mid-way and the pool took it back.
 */
const UNAVAILABLE_CLASSES = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable/i;

function unavailableCode(code: unknown): boolean {
  return DATABASE_UNAVAILABLE.has(String(code)) || UNAVAILABLE_SQLSTATE.test(String(code));
}

/** Every error class a database outage produces (see test/database-outage-drill.e2e-spec.ts). */
export function databaseUnavailable(error: unknown): boolean {
  // Not `instanceof Error`: a socket error raised by Node itself may belong to another realm (Jest's
  // sandbox), and the pool hands it over unwrapped.
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError, message, name } = error as {
    code?: unknown;
    driverError?: { code?: unknown };
    message?: unknown;
    name?: unknown;
  };
  return (
    unavailableCode(code) ||
    unavailableCode(driverError?.code) ||
    UNAVAILABLE_CLASSES.has(String(name)) ||
    UNAVAILABLE_MESSAGE.test(String(message))
  );
}

function httpExceptionDetail(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}

function fastifyError(error: unknown): { status: number; detail: string } | undefined {
  const { code, statusCode } = (error ?? {}) as FastifyLikeError;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  if (code && FASTIFY_DETAILS[code]) return { status: statusCode, detail: FASTIFY_DETAILS[code] };
  if (error instanceof SyntaxError) return { status: 400, detail: 'The request body is not valid JSON' };
  if (/__proto__|constructor/.test((error as Error).message ?? '')) {
    return { status: 400, detail: 'The request body contains a forbidden key (__proto__ or constructor)' };
  }
  return { status: statusCode, detail: statusTitle(statusCode) };
}

/** Turns any thrown value into the problem-details answer the client sees. */
export function problemFromError(error: unknown, instance: string, requestId: string): ProblemReply {
  let status = 500;
  let detail = 'An unexpected error occurred; the request id identifies it in the logs';
  let errors: FieldError[] | undefined;
  let headers: Record<string, string> = {};
  let extensions: ProblemExtensions = {};
  let cause: ProblemCause = 'refusal';

  if (error instanceof ProblemException) {
    // Raised on purpose, whatever its status (503 "mail is not configured" included).
    status = error.getStatus();
    detail = error.detail;
    errors = error.fieldErrors;
    headers = error.headers;
    extensions = error.extensions;
  } else if (error instanceof HttpException) {
    status = error.getStatus();
    detail = status >= 500 ? statusTitle(status) : httpExceptionDetail(error);
    if (status >= 500) cause = 'failure';
  } else if (databaseUnavailable(error)) {
    status = 503;
    detail = 'The service is temporarily unavailable; try again shortly';
    headers = { 'retry-after': '5' };
    cause = 'outage';
  } else {
    const client = fastifyError(error);
    if (client) ({ status, detail } = client);
    else cause = 'failure';
  }

  // The standard members win over an extension of the same name.
  const problem: Problem = { ...extensions, ...problemFor(status, detail, instance, requestId) };
  if (errors) problem.errors = errors;
  return { problem, headers, cause };
}
