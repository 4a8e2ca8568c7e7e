import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OpenAPIObject } from '@nestjs/swagger';

/** One request and the response the service gave it, as the traffic check needs them. */
export interface Exchange {
  /** The Jest test that made the request, so a violation points at it. */
  test?: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** The body as Fastify parsed it (JSON or form), absent when none came or parsing refused it. */
  requestBody?: unknown;
  status: number;
  responseContentType?: string;
  /** The payload as sent; absent for streamed files, which no documented route sends. */
  responseBody?: string;
}

/** Served by the service but deliberately not in the document, each with the reason. */
const OUTSIDE_THE_DOCUMENT: { method?: string; path: RegExp; reason: string }[] = [
  { path: /^\/docs(\/|$)/, reason: 'Swagger UI page and its assets' },
  { path: /^\/redoc(\/|$)/, reason: 'ReDoc page and its script' },
  { path: /^\/openapi\.json$/, reason: 'the document itself, checked by the OpenAPI validator' },
  { method: 'OPTIONS', path: /./, reason: 'CORS preflight, answered by @fastify/cors before any route' },
];

export function isOutsideTheDocument(method: string, url: string): boolean {
  const path = url.split('?')[0];
  return OUTSIDE_THE_DOCUMENT.some((entry) => (entry.method ?? method) === method && entry.path.test(path));
}

function headerText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** Records every exchange of a test app in Fastify's onSend hook, which sees injected and real HTTP alike. */
export function recordTraffic(fastify: FastifyInstance, exchanges: Exchange[]): void {
  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (isOutsideTheDocument(request.method, request.url)) return payload;
    const requestHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      const text = headerText(value);
      if (text !== undefined) requestHeaders[name] = text;
    }
    exchanges.push({
      test: expect.getState().currentTestName,
      method: request.method,
      url: request.url,
      requestHeaders,
      requestBody: request.body,
      status: reply.statusCode,
      responseContentType: headerText(reply.getHeader('content-type')),
      responseBody:
        typeof payload === 'string'
          ? payload
          : Buffer.isBuffer(payload)
            ? payload.toString('utf8')
            : payload == null
              ? ''
              : undefined,
    });
    return payload;
  });
}

/**
 * Checks exchanges against the document with openapi-backend. Its JSON-reference parser is ESM-only,
 * which Jest on Node 20 cannot require, so the check runs in a plain Node process (one per test app).
 */
export function checkTraffic(document: OpenAPIObject, exchanges: Exchange[]): string[] {
  if (exchanges.length === 0) return [];
  const run = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'openapi-traffic-check.ts')],
    {
      input: JSON.stringify({ document, exchanges }),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  if (run.status !== 0) throw new Error(`OpenAPI traffic check failed to run: ${run.stderr}`);
  // The result is the last line: anything a library prints on the way comes before it.
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as string[];
}
