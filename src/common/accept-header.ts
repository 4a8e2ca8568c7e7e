/** A weight as RFC 9110 writes it: 0 to 1 with at most three decimals. */
const QVALUE = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

interface MediaRange {
  type: string;
  quality: number;
}

/** The ranges of an Accept header, each with its weight (1 when absent, 0 when malformed). */
function mediaRanges(accept: string): MediaRange[] {
  return accept.split(',').map((part) => {
    const [type, ...parameters] = part.split(';');
    let quality = 1;
    for (const parameter of parameters) {
      const [name, value = ''] = parameter.split('=');
      if (name.trim().toLowerCase() === 'q') quality = QVALUE.test(value.trim()) ? Number(value.trim()) : 0;
    }
    return { type: type.trim().toLowerCase(), quality };
  });
}

function specificity(range: string, mediaType: string): number {
  if (range === mediaType) return 3;
  if (range === `${mediaType.split('/')[0]}/*`) return 2;
  return range === '*/*' ? 1 : 0;
}

/**
 * How much the client wants a media type: the weight of the most specific range that matches it
 * (RFC 9110, section 12.5.1), 0 when none does. `exactOnly` ignores wildcards, for a type a client
 * gets only by naming it.
 */
export function acceptQuality(accept: string | undefined, mediaType: string, exactOnly = false): number {
  let best = { specificity: 0, quality: 0 };
  for (const range of mediaRanges(accept ?? '')) {
    const rank = specificity(range.type, mediaType);
    if (rank === 0 || (exactOnly && rank < 3) || rank < best.specificity) continue;
    if (rank > best.specificity || range.quality > best.quality) best = { specificity: rank, quality: range.quality };
  }
  return best.quality;
}
