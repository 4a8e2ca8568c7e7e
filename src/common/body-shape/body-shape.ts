/** Most keys and array items a body may hold in total, at every level together. */
export const MAX_BODY_ENTRIES = 1000;
/** Deepest nesting a body may have; the top-level object or array is level 1. */
export const MAX_BODY_DEPTH = 32;

export type BodyShapeFault = 'too-many-entries' | 'too-deep';

/**
 * Judges a parsed body by its shape alone, walking it with an explicit stack (never recursion, so a
 * deep body cannot overflow the call stack) and stopping as soon as a limit is passed, so that a body
 * of 100,000 keys costs no more than one of 1,001.
 */
export function bodyShapeFault(body: unknown): BodyShapeFault | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const stack: Array<{ value: object; depth: number }> = [{ value: body, depth: 1 }];
  let entries = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: object; depth: number };
    if (depth > MAX_BODY_DEPTH) return 'too-deep';
    if (Array.isArray(value)) {
      entries += value.length;
      if (entries > MAX_BODY_ENTRIES) return 'too-many-entries';
      for (const item of value as unknown[]) {
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: depth + 1 });
      }
      continue;
    }
    // for…in rather than Object.keys: it stops at the limit instead of copying every key first.
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      if (++entries > MAX_BODY_ENTRIES) return 'too-many-entries';
      const item = (value as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: depth + 1 });
    }
  }
  return undefined;
}
