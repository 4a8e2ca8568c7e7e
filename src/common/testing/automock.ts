import { InjectionToken, Provider, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';

/** A mock of a class: each of its methods (its own and inherited) a jest.fn(), its fields undefined. */
export type Mocked<T> = jest.Mocked<T>;

/** Every method of the class and of the classes it extends, by name. */
function methodNames(type: Type<unknown>): string[] {
  const names = new Set<string>();
  for (let proto = type.prototype as object | null; proto && proto !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') names.add(name);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return [...names];
}

/**
 * For `useMocker`: every dependency a unit test does not provide itself. A class becomes an object of
 * jest.fn() methods (a method the test does not program answers undefined); a string or symbol token
 * (a TypeORM repository, the DataSource) becomes an object whose every property is a jest.fn().
 */
export function automock(token: InjectionToken | undefined): unknown {
  if (typeof token === 'function') {
    const mock: Record<string, jest.Mock> = {};
    for (const name of methodNames(token as Type<unknown>)) mock[name] = jest.fn();
    return mock;
  }
  const made = new Map<string | symbol, jest.Mock>();
  return new Proxy(
    {},
    {
      get: (_target, property) => {
        // Not a promise: Nest awaits what a factory returns, and a `then` would make this one look like one.
        if (property === 'then') return undefined;
        if (!made.has(property)) made.set(property, jest.fn());
        return made.get(property);
      },
    },
  );
}

/** Lets a mocked method run as the class wrote it, over the mock's other (mocked) methods. */
export function runsAsWritten<T extends object, K extends keyof T>(mock: Mocked<T>, type: Type<T>, method: K): void {
  const written = (type.prototype as T)[method] as (...args: unknown[]) => unknown;
  (mock[method] as jest.Mock).mockImplementation((...args: unknown[]) => written.apply(mock, args));
}

/**
 * The class under test, built by Nest with every dependency mocked (in the style of immich's
 * newTestService()): `sut` is the real class; `mock(Token)` is the mock it was given for that token.
 * `providers` replace the automatic mocks where a test wants a real collaborator or a value.
 */
export async function newTestService<T>(
  type: Type<T>,
  providers: Provider[] = [],
): Promise<{ sut: T; mock: <D>(token: Type<D> | string | symbol) => Mocked<D> }> {
  const moduleRef = await Test.createTestingModule({ providers: [type, ...providers] })
    .useMocker(automock)
    .compile();
  return {
    sut: moduleRef.get(type),
    mock: <D>(token: Type<D> | string | symbol) => moduleRef.get<unknown, Mocked<D>>(token),
  };
}
