/** The parts of an OpenAPI 3 document the request fuzz reads. */
export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

interface DocumentParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface DocumentOperation {
  operationId: string;
  parameters?: DocumentParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, DocumentOperation>>;
  components: { schemas: Record<string, Schema> };
}

export interface Parameter {
  name: string;
  schema: Schema;
}

/** One documented operation, as the fuzz addresses it. */
export interface FuzzOperation {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The path template, `/admin/users/{id}`. */
  path: string;
  pathParameters: Parameter[];
  queryParameters: Parameter[];
  body?: { schema: Schema; required: boolean; takesForms: boolean };
  /** Needs a signed-in caller (an empty requirement in the list means anonymous access is one option). */
  secured: boolean;
  /** Needs the admin role, which the document does not model: every /admin route does. */
  admin: boolean;
}

/** Resolves `$ref` and single-member `allOf` (how @nestjs/swagger wraps a described $ref) to the schema meant. */
export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(document, document.components.schemas[name]);
  }
  if (schema.allOf?.length === 1) return { ...resolve(document, schema.allOf[0]), ...withoutAllOf(schema) };
  return schema;
}

function withoutAllOf(schema: Schema): Schema {
  const copy = { ...schema };
  delete copy.allOf;
  return copy;
}

/** Every operation of the document, in document order. */
export function operationsOf(document: OpenApiDocument): FuzzOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => {
      const parameters = operation.parameters ?? [];
      const of = (where: DocumentParameter['in']) =>
        parameters.filter((p) => p.in === where).map((p) => ({ name: p.name, schema: p.schema ?? {} }));
      const content = operation.requestBody?.content;
      const json = content?.['application/json'];
      return {
        id: operation.operationId,
        method: method.toUpperCase() as FuzzOperation['method'],
        path,
        pathParameters: of('path'),
        queryParameters: of('query'),
        body: json
          ? {
              schema: resolve(document, json.schema),
              required: operation.requestBody?.required !== false,
              takesForms: content['application/x-www-form-urlencoded'] !== undefined,
            }
          : undefined,
        secured: (operation.security ?? []).length > 0 && !operation.security?.some((r) => Object.keys(r).length === 0),
        admin: path.startsWith('/admin'),
      };
    }),
  );
}

/**
 * The document's own example of a schema: `example`, else `default`, else the first enum member, else
 * an object of its properties' examples (required ones, and optional ones that have an example).
 */
export function exampleOf(document: OpenApiDocument, raw: Schema): unknown {
  const schema = resolve(document, raw);
  if (schema.example !== undefined) return structuredClone(schema.example);
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === 'array') return schema.items ? [exampleOf(document, schema.items)] : [];
  if (schema.type === 'object' || schema.properties) {
    const example: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const resolved = resolve(document, property);
      const documented = resolved.example !== undefined || resolved.properties !== undefined;
      if (schema.required?.includes(name) || documented) example[name] = exampleOf(document, property);
    }
    return example;
  }
  return undefined;
}

/** The dotted paths of every value inside a body example (objects and array items included), outermost first. */
export function fieldPaths(value: unknown, parent = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const path = parent ? `${parent}.${key}` : key;
    return [path, ...fieldPaths(inner, path)];
  });
}

/** A copy of a body with the value at a dotted path replaced, or removed when `value` is `REMOVE`. */
export const REMOVE = Symbol('remove');
export function withField(body: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === REMOVE) delete target[last];
  else target[last] = value;
  return copy;
}
