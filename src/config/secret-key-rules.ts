/**
 * SECRET_KEY values published in documentation and examples (the original service's `.env`, this
 * project's .env.example and deploy/kubernetes.yaml): anyone who read them could sign tokens.
 */
export const PUBLISHED_SECRET_KEYS: readonly string[] = [
  'your-secret-key-here-generate-with-openssl-rand-hex-32',
  'CHANGE-ME-to-at-least-32-random-characters',
];

/** Words that mark a value as one to be replaced, whatever surrounds them. */
const PLACEHOLDER_WORDS = ['change-me', 'changeme', 'your-secret'];

export function isPublishedPlaceholder(secret: string): boolean {
  const lowered = secret.toLowerCase();
  return (
    PUBLISHED_SECRET_KEYS.some((published) => published.toLowerCase() === lowered) ||
    PLACEHOLDER_WORDS.some((word) => lowered.includes(word))
  );
}

const GENERATE = 'generate one with `openssl rand -hex 32`';

/** What is wrong with SECRET_KEY, in one line whatever else is also wrong with it; undefined if nothing. */
export function secretKeyProblem(secret: string | undefined, production: boolean): string | undefined {
  if (!production) {
    // Unset is fine outside production: a development key is generated and kept under DATA_DIR.
    return secret !== undefined && secret.length < 16
      ? 'SECRET_KEY must be at least 16 characters (32 or more recommended)'
      : undefined;
  }
  if (secret && isPublishedPlaceholder(secret)) {
    return `SECRET_KEY is a published placeholder, so anyone could sign tokens with it: ${GENERATE}`;
  }
  if (!secret || secret.length < 32)
    return `SECRET_KEY must be set to at least 32 characters in production: ${GENERATE}`;
  if (new Set(secret).size < 10) {
    return `SECRET_KEY must contain at least 10 distinct characters in production: ${GENERATE}`;
  }
  return undefined;
}
