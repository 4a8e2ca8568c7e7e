import { HttpException } from '@nestjs/common';
import { FieldError } from './problem';

/**
 * An error whose detail is written to the client as it is, optionally with field errors and extra
 * response headers (Retry-After, WWW-Authenticate).
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly detail: string,
    readonly fieldErrors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail, status);
  }
}

export class ValidationFailedException extends ProblemException {
  constructor(errors: FieldError[]) {
    super(400, 'The request is invalid; see errors for each field', errors);
  }
}
