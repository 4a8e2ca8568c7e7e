import { ParseUUIDPipe } from '@nestjs/common';
import { ProblemException } from './problem-details/problem.exception';

/** A path id that is not a UUID is the client's mistake: 400 with a field error, before any query. */
export function uuidParam(field = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new ProblemException(400, `${field} must be a UUID`, [{ field, message: `${field} must be a UUID` }]),
  });
}
