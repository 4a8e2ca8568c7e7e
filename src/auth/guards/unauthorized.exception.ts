import { ProblemException } from '../../common/problem-details/problem.exception';

/** The one 401 answer, whatever was wrong with the credentials. */
export class UnauthorizedProblem extends ProblemException {
  constructor(detail = 'Authentication is required: a valid, unexpired access token') {
    super(401, detail, undefined, { 'www-authenticate': 'Bearer' });
  }
}
