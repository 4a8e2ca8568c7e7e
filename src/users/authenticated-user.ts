import { User } from '../users/entities/user.entity';
import { Impersonator } from './account-access';

/** What the JWT guard leaves on request.user for a valid access token. */
export interface AuthenticatedUser {
  user: User;
  sessionId: string;
  /** The administrator acting as the user, on an impersonation token (claims with `act`) only. */
  impersonator?: Impersonator;
}

/** A signed-in caller and the address it calls from: whom a change to the account's own sign-in factors names. */
export interface SignedInCaller extends AuthenticatedUser {
  ipAddress?: string;
}

/** The caller of a request, as the JWT guard admitted it, with the request's client address. */
export function signedInCaller(caller: AuthenticatedUser, request: { ip?: string }): SignedInCaller {
  return { user: caller.user, sessionId: caller.sessionId, ipAddress: request.ip };
}
