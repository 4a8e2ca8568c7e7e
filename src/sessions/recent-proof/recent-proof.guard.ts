import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { RouteMetadata } from '../../common/decorators/route-metadata';
import { ReauthenticationRequired } from './reauthentication-required.exception';
import { RecentProof } from './recent-proof';
import { RECENT_PROOF_RULE, RecentProofRule } from './recent-proof-rule';

/** What the JWT guard leaves on the request; only the session matters here (users/ sits above sessions/). */
type SignedInRequest = FastifyRequest & { user?: { sessionId?: unknown } };

/** Enforces @RequiresRecentAuth(); it runs after the global guards, so the caller is authenticated. */
@Injectable()
export class RecentProofGuard implements CanActivate {
  private readonly rules: RouteMetadata<RecentProofRule>;

  constructor(
    reflector: Reflector,
    private readonly proof: RecentProof,
  ) {
    this.rules = new RouteMetadata(reflector, RECENT_PROOF_RULE);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.rules.of(context);
    if (!rule) return true;
    const sessionId = context.switchToHttp().getRequest<SignedInRequest>().user?.sessionId;
    if (typeof sessionId !== 'string') throw new ReauthenticationRequired();
    const earliestFirstStep = this.proof.now().getTime() - (rule.firstStepLiveMs ?? 0);
    await this.proof.requireAt(sessionId, new Date(earliestFirstStep));
    return true;
  }
}
