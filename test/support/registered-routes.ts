import { INestApplication, PipeTransform, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';

/** A handler parameter that takes client input: its source, its declared type and its own pipes. */
export interface InputParameter {
  source: 'body' | 'query' | 'param';
  index: number;
  data?: string;
  metatype: unknown;
  pipes: (PipeTransform | Type<PipeTransform>)[];
}

export interface RegisteredRoute {
  /** As the document's operationId names it: `Controller_method`. */
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
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
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
