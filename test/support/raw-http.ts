import { connect } from 'node:net';
import { RawResponse } from './slow-request';

/**
 * Sends bytes as they are (a malformed URL, oversized headers: what fetch would refuse to send) and
 * reads the one response, until the server closes the connection or the body is complete.
 */
export async function rawHttp(port: number, request: string): Promise<RawResponse> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
  return new Promise((done, fail) => {
    let received = Buffer.alloc(0);
    const finish = (): boolean => {
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return false;
      const [statusLine, ...lines] = received.subarray(0, headEnd).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const body = received.subarray(headEnd + 4);
      if (body.length < Number(headers['content-length'] ?? 0)) return false;
      done({ status: Number(statusLine.split(' ')[1]), headers, body: body.toString() });
      socket.destroy();
      return true;
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    // The server may reset the connection right after answering: what arrived before still counts.
    socket.on('error', () => undefined);
    socket.on('close', () => finish() || fail(new Error(`no complete response: ${received.toString()}`)));
    socket.write(request);
  });
}
