import { HttpException } from '@nestjs/common';
import { FieldError } from './problem';

/** RFC 9457 extension members: machine-readable facts beside the standard ones (`code`). */
export type ProblemExtensions = Record<string, string | number | boolean | null>;

/**
 * An error whose detail is written to the client as it is, optionally with field errors, extra
 * response headers (Retry-After, WWW-Authenticate) and extension members.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly detail: string,
    readonly fieldErrors?: FieldError[],
    readonly headers: Record<string, string> = {},
    readonly extensions: ProblemExtensions = {},
  ) {
    super(detail, status);
  }
}

export class ValidationFailedException extends ProblemException {
  constructor(errors: FieldError[]) {
    super(400, 'The request is invalid; see errors for each field', errors);
  }
}
