import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

/**
 * A route decorator's value (the method's, else the controller's), read through the Reflector once
 * per route and remembered: decorators are fixed once the app starts, and the guards ask on every
 * request (two metadata lookups each time).
 */
export class RouteMetadata<T> {
  private readonly byHandler = new WeakMap<object, WeakMap<object, T | undefined>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly key: string,
  ) {}

  of(context: ExecutionContext): T | undefined {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.byHandler.get(handler);
    if (byController === undefined) {
      byController = new WeakMap();
      this.byHandler.set(handler, byController);
    }
    if (!byController.has(controller)) {
      byController.set(controller, this.reflector.getAllAndOverride<T>(this.key, [handler, controller]));
    }
    return byController.get(controller);
  }
}
