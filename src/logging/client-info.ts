import { FastifyRequest } from 'fastify';
import { RequestClient } from './request-context';

/** The client's address (socket, or X-Forwarded-For behind TRUST_PROXY) and user agent. */
export function clientInfo(request: FastifyRequest): RequestClient {
  const userAgent = request.headers['user-agent'];
  return { ipAddress: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}
