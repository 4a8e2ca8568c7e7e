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

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } })?.driverError?.code;
  return code === '23505' || (error as { code?: string })?.code === '23505';
}
