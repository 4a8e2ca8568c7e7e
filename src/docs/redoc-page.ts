import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { escapeHtml } from '../common/html-escape';

/** The build copies ReDoc's one runtime file to dist/src/assets; from source it comes from node_modules. */
function redocBundlePath(): string {
  const built = join(__dirname, '..', 'assets', 'redoc.standalone.js');
  return existsSync(built) ? built : require.resolve('redoc/bundles/redoc.standalone.js');
}

/**
 * ReDoc 2 draws its attribution logo from its CDN, which the page's CSP (rightly) blocks. Without the
 * address the image fails at once, without a request, and ReDoc drops it, leaving the text link.
 */
const CDN_LOGO_URL = 'https://cdn.redoc.ly/redoc/logo-mini.svg';

function redocBundle(): Buffer {
  return Buffer.from(readFileSync(redocBundlePath(), 'utf8').replace(CDN_LOGO_URL, ''));
}

/** Serves /redoc (a page reading /openapi.json) and the ReDoc script, from this origin only. */
export function registerRedocPage(fastify: FastifyInstance, title: string): void {
  const html =
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    `<title>${escapeHtml(title)} - ReDoc</title>` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    // An empty icon, so the browser does not ask for /favicon.ico (the API has none: a 404).
    '<link rel="icon" href="data:,"></head>' +
    '<body><redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script></body></html>';
  let bundle: Buffer | undefined;
  fastify.get('/redoc', async (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
  fastify.get('/redoc/redoc.standalone.js', async (_request, reply) => {
    bundle ??= redocBundle();
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(bundle);
  });
}
