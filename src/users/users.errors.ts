import { ProblemException } from '../common/problem-details/problem.exception';

export class EmailTakenException extends ProblemException {
  constructor() {
    super(409, 'An account with this email address already exists');
  }
}

export class WeakPasswordException extends ProblemException {
  constructor(field: string, problem: string) {
    super(400, `The ${field} is not acceptable`, [{ field, message: `${field} ${problem}` }]);
  }
}

export class UserNotFoundException extends ProblemException {
  constructor() {
    super(404, 'No user has this id');
  }
}

export class LastAdminException extends ProblemException {
  constructor() {
    super(409, 'This is the last active administrator: it cannot be demoted, deactivated, banned or deleted');
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } })?.driverError?.code;
  return code === '23505' || (error as { code?: string })?.code === '23505';
}
