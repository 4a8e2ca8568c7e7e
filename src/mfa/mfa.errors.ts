import { ProblemException } from '../common/problem-details/problem.exception';

export class TotpAlreadyEnabledException extends ProblemException {
  constructor() {
    super(409, 'TOTP is already enabled for this account; disable it first to set up a new authenticator');
  }
}

export class NoPendingTotpException extends ProblemException {
  constructor() {
    super(409, 'There is no TOTP setup waiting to be enabled; start with POST /user/mfa/totp/setup');
  }
}

export class TotpNotEnabledException extends ProblemException {
  constructor() {
    super(409, 'TOTP is not enabled for this account');
  }
}

/** A wrong password offered as proof on an account route: 400 with a field error, like a wrong current password. */
export class WrongPasswordException extends ProblemException {
  constructor() {
    super(400, 'The password is incorrect', [{ field: 'password', message: 'password is incorrect' }]);
  }
}

export class WrongCodeException extends ProblemException {
  constructor(accepts: string) {
    super(400, 'The code is incorrect', [{ field: 'code', message: `code is not a valid ${accepts}` }]);
  }
}

/**
 * A TOTP secret this instance cannot read (SECRET_KEY changed since it was stored): a fault of the
 * service, never the user's wrong code, so 503 and not a verdict; recovery codes (hashed) still work.
 */
export class SecondFactorUnavailableException extends ProblemException {
  constructor() {
    super(
      503,
      'second factor unavailable: codes from the authenticator app cannot be checked right now; a recovery code ' +
        'still works',
    );
  }
}
