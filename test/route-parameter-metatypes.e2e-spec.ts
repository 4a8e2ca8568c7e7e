import { PipeTransform, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import { startTestApp, TestApp } from './support/test-app';

/** A handler parameter that takes client input: its source, its declared type and its own pipes. */
interface InputParameter {
  source: 'body' | 'query' | 'param';
  index: number;
  data?: string;
  metatype: unknown;
  pipes: (PipeTransform | Type<PipeTransform>)[];
}

interface RegisteredRoute {
  name: string;
  method: string;
  inputs: InputParameter[];
}

const SOURCES: Partial<Record<RouteParamtypes, InputParameter['source']>> = {
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'param',
};

type RouteArguments = Record<string, { index: number; data?: string; pipes?: InputParameter['pipes'] }>;

/** Every route handler of every controller Nest registered, with its body, query and path parameters. */
function registeredRoutes(t: TestApp): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown>;
      const prototype = controller.prototype as Record<string, unknown>;
      // The constructor is the class itself, which carries the controller's own path.
      for (const methodName of Object.getOwnPropertyNames(prototype).filter((name) => name !== 'constructor')) {
        const handler = prototype[methodName];
        if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const types = (Reflect.getMetadata('design:paramtypes', prototype, methodName) ?? []) as unknown[];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, methodName) ?? {}) as RouteArguments;
        const inputs = Object.entries(args).flatMap(([key, arg]) => {
          const source = SOURCES[Number(key.split(':')[0]) as RouteParamtypes];
          if (!source || key.includes('__')) return [];
          return [{ source, index: arg.index, data: arg.data, metatype: types[arg.index], pipes: arg.pipes ?? [] }];
        });
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        routes.push({ name: `${controller.name}_${methodName}`, method, inputs });
      }
    }
  }
  return routes;
}

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
    routes = registeredRoutes(t);
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
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
