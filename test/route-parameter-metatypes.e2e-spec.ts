import { getMetadataStorage } from 'class-validator';
import { InputParameter, registeredRoutes, RegisteredRoute } from './support/registered-routes';
import { startTestApp, TestApp } from './support/test-app';
import { get } from './support/http';

const PLAIN_TYPES: unknown[] = [Object, String, Number, Boolean, Array, Date, Buffer, undefined];

/** A class-validator DTO: a class of its own with at least one validation rule on it. */
function isValidatedDto(metatype: unknown): boolean {
  if (typeof metatype !== 'function' || PLAIN_TYPES.includes(metatype)) return false;
  return getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false).length > 0;
}

/** What is wrong with a parameter, or undefined: a DTO with rules, or a pipe of its own, is required. */
function parameterFault(input: InputParameter): string | undefined {
  if (input.pipes.length > 0) return undefined;
  if (isValidatedDto(input.metatype)) return undefined;
  const type =
    typeof input.metatype === 'function' ? (input.metatype as { name: string }).name : String(input.metatype);
  return `@${input.source[0].toUpperCase()}${input.source.slice(1)}() parameter ${input.index} is typed ${type}, not a validated DTO class`;
}

interface DocumentedOperation {
  operationId: string;
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
}

describe('route parameter metatypes', () => {
  let t: TestApp;
  let routes: RegisteredRoute[];
  let operations: DocumentedOperation[];

  beforeAll(async () => {
    t = await startTestApp();
    routes = registeredRoutes(t.app);
    const document = (await get(t.app, '/openapi.json')).json() as {
      paths: Record<string, Record<string, DocumentedOperation>>;
    };
    operations = Object.values(document.paths).flatMap((item) => Object.values(item));
  });
  afterAll(() => t.close());

  it('walks every route the document describes, and the document describes every route', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((route) => route.name).sort()).toEqual(operations.map((op) => op.operationId).sort());
  });

  it('gives every @Body(), @Query() and @Param() a DTO class with validation rules, or a pipe of its own', () => {
    const faults = routes.flatMap((route) =>
      route.inputs.flatMap((input) => {
        const fault = parameterFault(input);
        return fault ? [`${route.method} ${route.name}: ${fault}`] : [];
      }),
    );
    expect(faults).toEqual([]);
  });

  it('takes every documented body and query parameter through such a parameter, never by hand', () => {
    const faults = operations.flatMap((operation) => {
      const route = routes.find((candidate) => candidate.name === operation.operationId);
      const sources = new Set(route?.inputs.filter((input) => input.data === undefined).map((input) => input.source));
      const missing: string[] = [];
      if (operation.requestBody && !sources.has('body')) missing.push('a documented body without @Body()');
      if (operation.parameters?.some((p) => p.in === 'query') && !sources.has('query')) {
        missing.push('documented query parameters without @Query()');
      }
      for (const path of operation.parameters?.filter((p) => p.in === 'path') ?? []) {
        if (!route?.inputs.some((input) => input.source === 'param' && input.data === path.name)) {
          missing.push(`path parameter ${path.name} without @Param('${path.name}')`);
        }
      }
      return missing.map((text) => `${operation.operationId}: ${text}`);
    });
    expect(faults).toEqual([]);
  });
});
