import { Readable } from 'node:stream';
import { AuditItem } from './audit-reader';

export const NDJSON = 'application/x-ndjson';

/** True when the client asked for NDJSON (Accept: application/x-ndjson, with or without parameters). */
export function wantsNdjson(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.split(';')[0].trim().toLowerCase() === NDJSON);
}

/**
 * One JSON line per row, one chunk per batch. A byte stream with a small high-water mark: the next
 * batch is fetched only once the socket has taken the previous one, so memory stays flat whatever
 * the row count; a client that goes away ends the generator, and no further batch is read.
 */
export function ndjsonStream(batches: AsyncGenerator<AuditItem[]>): Readable {
  async function* lines(): AsyncGenerator<string> {
    for await (const batch of batches) {
      let chunk = '';
      for (const item of batch) chunk += `${JSON.stringify(item)}\n`;
      yield chunk;
    }
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
}
