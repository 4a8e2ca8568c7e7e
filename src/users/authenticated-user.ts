import { User } from '../users/entities/user.entity';

/** What the JWT guard leaves on request.user for a valid access token. */
export interface AuthenticatedUser {
  user: User;
  sessionId: string;
}
