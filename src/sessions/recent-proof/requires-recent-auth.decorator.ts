import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ReauthenticationRequiredDto } from './reauthentication-required.dto';
import { RecentProofGuard } from './recent-proof.guard';
import { RECENT_PROOF_RULE, RecentProofRule } from './recent-proof-rule';

/**
 * The route adds or removes a way into an account: the session's last proof of identity must be at
 * most REAUTH_MAX_AGE_SECONDS old, else 403 with `"code": "reauthentication_required"`.
 */
export function RequiresRecentAuth(rule: RecentProofRule = {}): MethodDecorator {
  return applyDecorators(
    SetMetadata(RECENT_PROOF_RULE, rule),
    UseGuards(RecentProofGuard),
    ApiExtraModels(ReauthenticationRequiredDto),
    ApiResponse({
      status: 403,
      // Swagger appends this to the route's other 403 meanings.
      description:
        'With `"code": "reauthentication_required"`: the session\'s last proof of identity (its sign-in or ' +
        'POST /user/auth/reauthenticate) is older than REAUTH_MAX_AGE_SECONDS; reauthenticate, then retry.',
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ReauthenticationRequiredDto) } } },
    }),
  );
}
