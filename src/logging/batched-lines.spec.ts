import { Writable } from 'node:stream';
import { BatchedLines } from './batched-lines';

/** A file stand-in that records each write it receives. */
function recordingFile(): { file: Writable; writes: string[]; ended: () => boolean } {
  const writes: string[] = [];
  let ended = false;
  const file = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString());
      callback();
    },
    final(callback) {
      ended = true;
      callback();
    },
  });
  return { file, writes, ended: () => ended };
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('BatchedLines', () => {
  it('hands the lines of a burst to the file as one write, in order, shortly after', async () => {
    const { file, writes } = recordingFile();
    const lines = new BatchedLines(file);
    for (let i = 0; i < 100; i++) lines.write(`line ${i}\n`);
    expect(writes).toEqual([]);
    await wait(50);
    expect(writes).toHaveLength(1);
    expect(writes[0].split('\n').slice(0, -1)).toEqual(Array.from({ length: 100 }, (_, i) => `line ${i}`));
  });

  it('writes at once when the held lines pass 64 KiB, and keeps nothing back', async () => {
    const { file, writes } = recordingFile();
    const lines = new BatchedLines(file);
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) lines.write(line);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(writes[0].length).toBe(64 * 1024);
    lines.write('after\n');
    await wait(50);
    expect(writes).toEqual([line.repeat(64), 'after\n']);
  });

  it('flushes what it holds on end, then ends the file', async () => {
    const { file, writes, ended } = recordingFile();
    const lines = new BatchedLines(file);
    lines.write('last words\n');
    await lines.end();
    expect(writes).toEqual(['last words\n']);
    expect(ended()).toBe(true);
  });

  it('writes a later burst separately, without waiting on the first', async () => {
    const { file, writes } = recordingFile();
    const lines = new BatchedLines(file);
    lines.write('first\n');
    await wait(50);
    lines.write('second\n');
    await wait(50);
    expect(writes).toEqual(['first\n', 'second\n']);
  });
});
