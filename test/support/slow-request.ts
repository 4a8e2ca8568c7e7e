import { connect, Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A request whose body arrives in two parts, as from a slow client: it is in flight from the first
 * byte until finish() sends the rest. `response` settles with the full response, or rejects if the
 * connection closes before one arrived.
 */
export class SlowRequest {
  readonly response: Promise<RawResponse>;
  private constructor(
    private readonly socket: Socket,
    private readonly rest: string,
    response: Promise<RawResponse>,
  ) {
    this.response = response;
    // Observed by the caller through `response`; this only keeps an early rejection from being unhandled.
    response.catch(() => undefined);
  }

  /** Resolves once the server has read the request head (its 100 Continue says so) and half the body. */
  static async open(port: number, method: string, path: string, json: unknown): Promise<SlowRequest> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
    const body = JSON.stringify(json);
    const split = Math.floor(body.length / 2);
    let onContinue = (): void => undefined;
    const continued = new Promise<void>((done) => (onContinue = done));
    const response = readResponse(socket, () => onContinue());
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await Promise.race([continued, response]);
    socket.write(body.slice(0, split));
    return new SlowRequest(socket, body.slice(split), response);
  }

  finish(): void {
    this.socket.write(this.rest);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function readResponse(socket: Socket, onContinue: () => void): Promise<RawResponse> {
  return new Promise((done, fail) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      let headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      if (received.subarray(0, 12).toString() === 'HTTP/1.1 100') {
        received = received.subarray(headEnd + 4);
        onContinue();
        headEnd = received.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
      }
      const [statusLine, ...lines] = received.subarray(0, headEnd).toString().split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const body = received.subarray(headEnd + 4);
      if (body.length < Number(headers['content-length'] ?? 0)) return;
      done({ status: Number(statusLine.split(' ')[1]), headers, body: body.toString() });
      socket.end();
    });
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed before a complete response')));
  });
}
