import { FastifyRequest } from 'fastify';
import { ClientInfo } from './sessions.service';

/** The client's address (socket, or X-Forwarded-For behind TRUST_PROXY) and user agent. */
export function clientInfo(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { ipAddress: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}
