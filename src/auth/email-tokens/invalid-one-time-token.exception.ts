import { ValidationFailedException } from '../../common/problem-details/problem.exception';

export const INVALID_TOKEN_MESSAGE = 'token is invalid or has expired; request a new link';

/**
 * Unknown, spent, voided, expired or malformed: one answer, so that a caller learns nothing about
 * which tokens exist. The DTOs' own token checks use the same message.
 */
export class InvalidOneTimeTokenException extends ValidationFailedException {
  constructor() {
    super([{ field: 'token', message: INVALID_TOKEN_MESSAGE }]);
  }
}
