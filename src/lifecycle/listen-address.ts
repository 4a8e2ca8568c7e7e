import { createServer } from 'node:net';

/** The service cannot listen where it was told to; the message is one line naming the port and the fix. */
export class ListenAddressError extends Error {}

/** Why listening on host:port failed, and what fixes it, in one line. */
export function explainListenFailure(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new ListenAddressError(
      `port ${port} is already in use on ${host}: stop the process that holds it (another instance?), ` +
        'or set PORT to a free port',
    );
  }
  if (code === 'EACCES') {
    return new ListenAddressError(`port ${port} needs privileges this process lacks: set PORT to 1024 or above`);
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new ListenAddressError(`HOST ${host} is no address of this machine: set HOST to 0.0.0.0 or one of them`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Listens on host:port for a moment and lets go: a port in use is reported before the database is
 * opened (seconds on a first start), not after.
 */
export async function assertCanListen(host: string, port: number): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((listening, failed) => {
      server.once('error', failed);
      server.listen({ host, port, exclusive: true }, listening);
    });
  } catch (error) {
    throw explainListenFailure(error, host, port);
  }
  await new Promise<void>((closed) => server.close(() => closed()));
}
