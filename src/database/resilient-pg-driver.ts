import { Logger } from '@nestjs/common';
import * as pg from 'pg';

const logger = new Logger('Database');

/**
 * A connection that the server ends (57P01 on a fast shutdown, a reset) while it is checked out of the
 * pool and between queries emits 'error' with nobody listening: pg-pool only listens while a client is
 * idle, and TypeORM not at all, so Node would throw it and the process would die. Every client gets a
 * listener of its own from birth; the query that next uses the dead connection fails as an outage (503).
 */
class ResilientPool extends pg.Pool {
  constructor(config?: pg.PoolConfig) {
    super(config);
    this.on('connect', (client) => {
      client.on('error', (error: Error & { code?: string }) => {
        logger.warn(`a database connection was lost: ${error.code ?? error.message}`);
      });
    });
  }
}

/** The pg module as TypeORM's `driver` option wants it, with the pool above in place of pg.Pool. */
export const resilientPgDriver = { ...pg, Pool: ResilientPool };
