import * as pg from 'pg';

/**
 * A connection that the server ends (57P01 on a fast shutdown, a reset) while it is checked out of the
 * pool and between queries emits 'error' with nobody listening: pg-pool only listens while a client is
 * idle, and TypeORM only while a query runner holds it, so Node would throw it and the process would
 * die. Every client gets a listener of its own from birth. It stays silent: the query that next uses
 * the dead connection fails and is logged as an outage (503), and the pool's own end can raise such
 * an event after the log files have closed.
 */
class ResilientPool extends pg.Pool {
  constructor(config?: pg.PoolConfig) {
    super(config);
    this.on('connect', (client) => client.on('error', () => undefined));
  }
}

/** The pg module as TypeORM's `driver` option wants it, with the pool above in place of pg.Pool. */
export const resilientPgDriver = { ...pg, Pool: ResilientPool };
