import { ProblemException } from '../../common/problem-details/problem.exception';

/** The `code` extension member a client reads to send its user to POST /user/auth/reauthenticate. */
export const REAUTHENTICATION_REQUIRED = 'reauthentication_required';

/** 403: the session's last proof of identity is too old for a route that adds or removes a way in. */
export class ReauthenticationRequired extends ProblemException {
  constructor() {
    super(
      403,
      'This action needs a recent proof of identity: confirm it at POST /user/auth/reauthenticate, then retry',
      undefined,
      {},
      { code: REAUTHENTICATION_REQUIRED },
    );
  }
}
