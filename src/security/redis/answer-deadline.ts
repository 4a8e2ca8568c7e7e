export class RedisAnswerLate extends Error {
  constructor(deadlineMs: number) {
    super(`no answer within ${deadlineMs} ms`);
    this.name = 'RedisAnswerLate';
  }
}

/**
 * Rejects when the work has not settled deadlineMs after it started. The verdict waits for one
 * turn of the event loop past the timer, so that an answer already sitting in the socket (the
 * process was busy, not Redis) is still taken instead of being mistaken for an outage.
 */
export function withinDeadline<T>(work: Promise<T>, deadlineMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (settled) return;
          settled = true;
          reject(new RedisAnswerLate(deadlineMs));
        }),
      deadlineMs,
    );
    work.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
