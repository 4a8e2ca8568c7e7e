import { FastifyInstance } from 'fastify';

/** The API answers JSON only: nothing may load, frame or run from it. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Swagger UI and ReDoc load their own scripts and styles from this origin; both inject inline style
 * attributes, ReDoc starts a worker from a blob, and both draw images from data: URIs.
 */
const DOCS_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const DOCS_PATHS = /^\/(docs|redoc)(\/|$|\?)/;

export function registerContentSecurityPolicy(fastify: FastifyInstance): void {
  // A callback hook: an async one costs a promise per request for no benefit.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('content-security-policy', DOCS_PATHS.test(request.url) ? DOCS_POLICY : API_POLICY);
    done();
  });
}
