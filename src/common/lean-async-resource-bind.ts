import { AsyncResource } from 'node:async_hooks';

type Bindable = (...args: unknown[]) => unknown;

/**
 * AsyncResource#bind as Node 24 defines it, without the deprecated `asyncResource` accessor (DEP0172)
 * it attaches to every function it returns. That accessor costs two deprecate() wrappers and an
 * Object.defineProperties call per bind: 2.6–4.1 µs on Node 24.21, the same on 24.22 (bench/README.md),
 * against 0.4 µs for this. Nest binds twice per request once a global interceptor is registered
 * (InterceptorsConsumer), and Fastify once per request body (its content-type parser).
 * The bound function runs `fn` in the resource's async scope (its AsyncLocalStorage context and async
 * ids) with the caller's `this`, or `thisArg`, and keeps `fn`'s length: everything but the property
 * Node itself is moving to End-of-Life (nodejs/node#58618). Nothing this service loads reads it.
 */
function bindWithoutDeprecatedProperty(this: AsyncResource, fn: Bindable, thisArg?: unknown): Bindable {
  if (typeof fn !== 'function') {
    throw Object.assign(new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-this-alias -- the resource the bound function runs in
  const resource = this;
  const bound =
    thisArg === undefined
      ? function (this: unknown, ...args: unknown[]): unknown {
          return resource.runInAsyncScope(fn, this, ...args);
        }
      : (resource.runInAsyncScope.bind(resource, fn, thisArg) as Bindable);
  Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, writable: false, value: fn.length });
  return bound;
}

/**
 * Puts the binding above in place of Node's, for every AsyncResource (the static AsyncResource.bind
 * included, which creates one and calls its bind). Called by configureApp, so the service and its
 * tests run the same code; calling it again changes nothing. To be removed once Node no longer
 * attaches the property, or Nest no longer binds per request.
 */
export function useLeanAsyncResourceBind(): void {
  const prototype = AsyncResource.prototype as unknown as { bind: typeof bindWithoutDeprecatedProperty };
  prototype.bind = bindWithoutDeprecatedProperty;
}
