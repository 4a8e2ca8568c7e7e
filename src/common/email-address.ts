/** Zero-width, soft-hyphen, variation-selector, bidi-control and control characters: look-alike makers. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Cc}]/u;

/** The one form an email is stored, compared and returned in: trimmed, NFC, lower case. */
export function normaliseEmail(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase();
}

export function hasInvisibleCharacters(raw: string): boolean {
  return INVISIBLE.test(raw);
}
