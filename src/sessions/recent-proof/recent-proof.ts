import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AuthConfig } from '../../config/auth.config';
import { SessionsService } from '../sessions.service';
import { ReauthenticationRequired } from './reauthentication-required.exception';

/**
 * The step-up rule: a session's `authenticatedAt` (its sign-in, or its last reauthentication) must be
 * at most REAUTH_MAX_AGE_SECONDS old for a route that adds or removes a way into the account.
 */
@Injectable()
export class RecentProof {
  constructor(
    private readonly sessions: SessionsService,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Throws 403 reauthentication_required unless the session's proof was recent at `moment`: now for a
   * plain route, the first step's time for the second step of a ceremony.
   */
  async requireAt(sessionId: string, moment: Date): Promise<void> {
    const authenticatedAt = await this.sessions.authenticatedAt(sessionId);
    if (!authenticatedAt || !this.wasRecentAt(authenticatedAt, moment)) throw new ReauthenticationRequired();
  }

  /** A proof made after `moment` (a reauthentication since the first step) counts as recent too. */
  wasRecentAt(authenticatedAt: Date, moment: Date): boolean {
    return moment.getTime() - authenticatedAt.getTime() <= this.config.reauthMaxAgeSeconds * 1000;
  }

  now(): Date {
    return this.clock.now();
  }
}
