import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';

/**
 * A "Redis" that accepts connections and never answers a byte: what an instance sees when Redis hangs
 * or a network path drops replies, the case that a refused connection does not rehearse.
 */
export class SilentRedis {
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<SilentRedis> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new SilentRedis(server);
  }

  url(): string {
    return `redis://127.0.0.1:${(this.server.address() as AddressInfo).port}/0`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
