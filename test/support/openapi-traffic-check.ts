/**
 * Runs in a plain Node process (see checkTraffic): reads { document, exchanges } on stdin and writes the
 * violations, one line of text each, as a JSON array on the last line of stdout.
 */
import addFormats from 'ajv-formats';
import OpenAPIBackend, { Document, Operation } from 'openapi-backend';
import type { Exchange } from './openapi-traffic';

type Responses = Record<string, { content?: Record<string, { schema?: unknown }> }>;

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function isJson(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * openapi-backend validates only `application/json` bodies; the validator's copy of the document also
 * offers each other JSON media type's schema (problem+json) under that name. The media type actually
 * sent is checked against the original document separately.
 */
function withJsonAliases(document: Document): Document {
  const copy = structuredClone(document);
  for (const pathItem of Object.values(copy.paths ?? {})) {
    for (const operation of Object.values(pathItem ?? {})) {
      const responses = (operation as { responses?: Responses }).responses ?? {};
      for (const response of Object.values(responses)) {
        const content = response.content;
        if (!content || content['application/json']) continue;
        const json = Object.keys(content).find(isJson);
        if (json) content['application/json'] = content[json];
      }
    }
  }
  return copy;
}

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function documentedResponse(operation: Operation, status: number): Responses[string] | undefined {
  const responses = (operation.responses ?? {}) as Responses;
  return responses[String(status)] ?? responses[`${Math.floor(status / 100)}XX`] ?? responses.default;
}

function queryKey(pair: string): string {
  const key = pair.split('=')[0].replace(/\+/g, ' ');
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** The query string without the parameters the operation does not declare: the API ignores those. */
function declaredQuery(query: string, operation: Operation): string {
  const parameters = (operation.parameters ?? []) as { in?: string; name?: string }[];
  const names = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
  return query
    .split('&')
    .filter((pair) => pair !== '' && names.has(queryKey(pair)))
    .join('&');
}

function errorsText(errors: { instancePath?: string; message?: string }[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`).join('; ');
}

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const { document, exchanges } = JSON.parse(input) as { document: Document; exchanges: Exchange[] };
  const definition = withJsonAliases(document);
  // openapi-backend knows only OpenAPI's numeric formats; without these, uuid and date-time go unchecked.
  const customizeAjv = (ajv: Parameters<typeof addFormats>[0]) => addFormats(ajv);
  // quick: each operation's validators are compiled when first used, not all of them up front.
  const api = new OpenAPIBackend({ definition, quick: true, customizeAjv });
  // Forms carry every value as text; OpenAPI describes their fields with the schema's own types.
  const formApi = new OpenAPIBackend({ definition, quick: true, customizeAjv, ajvOpts: { coerceTypes: true } });
  await Promise.all([api.init(), formApi.init()]);

  const violations: string[] = [];
  for (const exchange of exchanges) {
    const [path, query = ''] = exchange.url.split(/\?(.*)/s);
    const request = {
      method: exchange.method,
      path,
      query,
      headers: exchange.requestHeaders,
      body: exchange.requestBody,
    };
    const where = `${exchange.test ?? '(outside a test)'}: ${exchange.method} ${exchange.url} -> ${exchange.status}`;
    const fail = (message: string): number => violations.push(`${where}: ${message}`);

    const operation = api.router.matchOperation(request);
    if (!operation) {
      // Unknown routes (404) and undecodable URLs (400) are refused before routing, with problem
      // details the document describes in prose only; any other answer is a route it is missing.
      const refusedBeforeRouting = exchange.status === 404 || (exchange.status === 400 && !decodes(path));
      if (!refusedBeforeRouting) fail('no operation in the document matches this route');
      continue;
    }

    const response = documentedResponse(operation, exchange.status);
    if (!response) {
      fail(`status ${exchange.status} is not documented for ${operation.operationId}`);
    } else {
      const sent = mediaType(exchange.responseContentType);
      const documented = Object.keys(response.content ?? {});
      const hasBody = exchange.responseBody !== undefined && exchange.responseBody !== '';
      if (hasBody && !documented.includes(sent)) {
        fail(
          `response content type ${sent || '(none)'} is not documented (documented: ${documented.join(', ') || 'no body'})`,
        );
      } else if (!hasBody && documented.length > 0 && exchange.responseBody !== undefined) {
        fail(`empty response, but a ${documented.join(' or ')} body is documented`);
      } else if (hasBody && isJson(sent)) {
        let body: unknown;
        try {
          body = JSON.parse(exchange.responseBody as string);
        } catch {
          fail(`response body is not JSON although sent as ${sent}`);
        }
        const result = api.validator.validateResponse(body, operation, exchange.status);
        if (!result.valid) fail(`response body does not match the schema: ${errorsText(result.errors)}`);
      }
    }

    // A request the service accepted must be one the document describes.
    if (exchange.status < 200 || exchange.status >= 300) continue;
    const bodyType = mediaType(exchange.requestHeaders['content-type']);
    const requestBody = operation.requestBody as { content?: Record<string, unknown> } | undefined;
    if (exchange.requestBody !== undefined && bodyType !== '') {
      const accepted = Object.keys(requestBody?.content ?? {});
      if (!accepted.includes(bodyType)) {
        fail(`request body of type ${bodyType} accepted, but documented: ${accepted.join(', ') || 'no body'}`);
        continue;
      }
    }
    const validator = bodyType === 'application/x-www-form-urlencoded' ? formApi : api;
    const declared = { ...request, query: declaredQuery(query, operation) };
    const result = validator.validator.validateRequest(declared, operation.operationId);
    if (!result.valid) fail(`accepted request does not match the document: ${errorsText(result.errors)}`);
  }
  process.stdout.write(`\n${JSON.stringify(violations)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
