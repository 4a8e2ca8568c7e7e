// The setting names are class metadata: loaded here, whoever imports a settings class first.
import 'reflect-metadata';
import { Expose, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * Declarative settings: each decorator binds a property to its environment name, parses the raw
 * string, applies the default when unset and validates with a message that names the setting.
 */
type Decorator = PropertyDecorator;

function compose(...decorators: Decorator[]): Decorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** Where a settings class keeps the environment names its properties read. */
const SETTING_NAMES = Symbol('settingNames');

/** Records the environment name on the class, so that a name that is no setting can be told apart. */
function named(name: string): Decorator {
  return (target) => {
    const names = (Reflect.getOwnMetadata(SETTING_NAMES, target.constructor) as string[] | undefined) ?? [];
    Reflect.defineMetadata(SETTING_NAMES, [...names, name], target.constructor);
  };
}

/** The environment names a settings class reads, in declaration order. */
export function settingNamesOf(cls: object): readonly string[] {
  return (Reflect.getOwnMetadata(SETTING_NAMES, cls) as string[] | undefined) ?? [];
}

function isUnset(value: unknown): value is undefined {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function bound(name: string, parse: (raw: string) => unknown, fallback: unknown): Decorator {
  return compose(
    named(name),
    Expose({ name }),
    Transform(({ value }: { value: unknown }) => (isUnset(value) ? fallback : parse(String(value).trim()))),
  );
}

export function parseInteger(raw: string): number {
  return /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

export function parseBoolean(raw: string): boolean | string {
  const lowered = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lowered)) return true;
  if (['false', '0', 'no', 'off'].includes(lowered)) return false;
  return raw;
}

export function IntSetting(name: string, fallback: number, min: number, max: number): Decorator {
  const message = `${name} must be a number between ${min} and ${max}`;
  return compose(bound(name, parseInteger, fallback), IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

export function BoolSetting(name: string, fallback: boolean): Decorator {
  return compose(bound(name, parseBoolean, fallback), IsBoolean({ message: `${name} must be true or false` }));
}

export function StringSetting(name: string, fallback: string): Decorator {
  return compose(
    bound(name, (raw) => raw, fallback),
    IsString({ message: `${name} must be text` }),
  );
}

/** A setting whose absence is meaningful (left undefined rather than defaulted). */
export function OptionalStringSetting(name: string, pattern?: RegExp, problem?: string): Decorator {
  const decorators: Decorator[] = [bound(name, (raw) => raw, undefined), IsOptional(), IsString()];
  if (pattern) decorators.push(Matches(pattern, { message: `${name} ${problem ?? 'is malformed'}` }));
  return compose(...decorators);
}

export interface ChoiceOptions<T extends string> {
  /** Applied before the value is looked up (default: lower case, so any case is accepted). */
  normalise?: (raw: string) => string;
  /** Other accepted names (in normalised form) and the choice each stands for. */
  aliases?: Readonly<Record<string, T>>;
}

/** One of a fixed list; the error lists every accepted value, aliases included. */
export function ChoiceSetting<T extends string>(
  name: string,
  fallback: T,
  choices: readonly T[],
  { normalise = (raw) => raw.toLowerCase(), aliases = {} }: ChoiceOptions<T> = {},
): Decorator {
  const accepted = [...choices, ...Object.keys(aliases)];
  const parse = (raw: string): string => {
    const value = normalise(raw);
    return Object.hasOwn(aliases, value) ? aliases[value] : value;
  };
  return compose(
    bound(name, parse, fallback),
    IsIn(choices as unknown as unknown[], { message: `${name} must be one of: ${accepted.join(', ')}` }),
  );
}

export function PatternSetting(name: string, fallback: string, pattern: RegExp, problem: string): Decorator {
  return compose(
    bound(name, (raw) => raw, fallback),
    Matches(pattern, { message: `${name} ${problem}` }),
  );
}

/** A setting parsed by a custom function; the parser returns an Error to report a bad value. */
export function ParsedSetting<T>(name: string, parse: (raw: string | undefined) => T | Error): Decorator {
  return compose(
    named(name),
    Expose({ name }),
    Transform(({ value }: { value: unknown }) => {
      const parsed = parse(isUnset(value) ? undefined : String(value).trim());
      return parsed instanceof Error ? new Error(`${name} ${parsed.message}`) : parsed;
    }),
  );
}
