import addFormats from 'ajv-formats';
import OpenAPIBackend, { Document } from 'openapi-backend';
import { BuiltRequest } from './fuzz-request';
import { FuzzOperation, OpenApiDocument } from './openapi-operations';

const PLAIN_DECIMAL = /^-?[0-9]+$/;

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || holdsNul(inner));
}

function holdsPoisonedKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(
    ([key, inner]) => key === '__proto__' || key === 'constructor' || holdsPoisonedKey(inner),
  );
}

/**
 * Decides whether a request is invalid: it fails the document's schema (judged by openapi-backend,
 * as the e2e traffic check does), or it breaks a rule of API.md's conventions that a schema cannot
 * state (a NUL in any string, a bracketed or repeated query key, an integer not in plain decimal,
 * a poisoned key, a body over BODY_LIMIT_BYTES). Query parameters the operation does not declare
 * are ignored, as the API ignores them.
 */
export class RequestOracle {
  private readonly api: OpenAPIBackend;
  private readonly formApi: OpenAPIBackend;

  constructor(
    document: OpenApiDocument,
    private readonly bodyLimit: number,
  ) {
    const definition = document as unknown as Document;
    const customizeAjv = (ajv: Parameters<typeof addFormats>[0]) => addFormats(ajv);
    this.api = new OpenAPIBackend({ definition, quick: true, customizeAjv });
    // Forms carry every value as text; the document describes their fields with the schema's own types.
    this.formApi = new OpenAPIBackend({ definition, quick: true, customizeAjv, ajvOpts: { coerceTypes: true } });
  }

  async init(): Promise<void> {
    await Promise.all([this.api.init(), this.formApi.init()]);
  }

  /** Why the request is invalid, or undefined when it is a valid one. */
  invalidity(operation: FuzzOperation, request: BuiltRequest): string | undefined {
    if (request.payload !== undefined && Buffer.byteLength(request.payload) > this.bodyLimit) return 'body too large';
    if (request.malformedBody) return 'malformed JSON';
    if (Object.values(request.pathValues).some(holdsNul)) return 'NUL in the path';
    if (request.query.some(([key, value]) => holdsNul(key) || holdsNul(value))) return 'NUL in the query';
    if (holdsNul(request.parsedBody)) return 'NUL in the body';
    if (holdsPoisonedKey(request.parsedBody)) return '__proto__ or constructor key';
    if (request.query.some(([key]) => /[[\]]/.test(key))) return 'bracketed query key';
    const declared = new Map(operation.queryParameters.map((p) => [p.name, p.schema]));
    const given = request.query.filter(([key]) => declared.has(key));
    if (new Set(given.map(([key]) => key)).size < given.length) return 'query parameter given twice';
    for (const [key, value] of given) {
      if (declared.get(key)?.type === 'integer' && !PLAIN_DECIMAL.test(value)) return `${key} is not plain decimal`;
    }
    const validator = request.contentType === 'application/x-www-form-urlencoded' ? this.formApi : this.api;
    const result = validator.validator.validateRequest(
      {
        method: request.method,
        path: request.path,
        query: given.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&'),
        headers: request.contentType ? { 'content-type': request.contentType } : {},
        body: request.parsedBody,
      },
      operation.id,
    );
    if (result.valid) return undefined;
    return (result.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`).join('; ');
  }
}
