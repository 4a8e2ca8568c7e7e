import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { JsonBodyOnly } from '../common/body-shape/json-body-only';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../common/openapi/security-schemes';
import { uuidParam } from '../common/uuid-param.pipe';
import { RequiresRecentAuth } from '../sessions/recent-proof/requires-recent-auth.decorator';
import { NotWhileImpersonating } from '../common/decorators/not-while-impersonating.decorator';
import { AuthenticatedUser, signedInCaller } from '../users/authenticated-user';
import { AuthorizationUrlDto, IdentityDto, ProviderIdParamPipe, toIdentityDto } from './dto/oidc.dto';
import { IdentityLinks } from './identity-links';
import { OidcFlowCookie } from './oidc-flow-cookie';
import { OidcSignInStart } from './oidc-sign-in-start';

@ApiTags('Identities')
@ApiCookieAuth(SESSION_COOKIE_SCHEME)
@ApiBearerAuth(BEARER_SCHEME)
@ApiServiceProblems()
@Controller('user/identities')
export class IdentitiesController {
  constructor(
    private readonly links: IdentityLinks,
    private readonly start: OidcSignInStart,
    private readonly cookie: OidcFlowCookie,
  ) {}

  @Get()
  @ApiOperation({ summary: "The account's identities at OpenID providers", description: 'Oldest first.' })
  @ApiOkResponse({ type: [IdentityDto] })
  @ApiProblems(401)
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<IdentityDto[]> {
    return (await this.links.list(caller.user.id)).map(toIdentityDto);
  }

  @RequiresRecentAuth()
  // Below @RequiresRecentAuth(): its 403 schema (both codes) is the one the document keeps.
  @NotWhileImpersonating()
  @Post(':provider/link')
  @HttpCode(200)
  @JsonBodyOnly()
  @ApiOperation({
    summary: 'Start linking an identity at a provider',
    description:
      'Call it from the browser that will follow authorizationUrl: it sets the oidc_flow cookie. The callback ' +
      "then links the provider's identity to this account (every other session of the user ends) and redirects " +
      "to FRONTEND_URL's / (with ?error=identity_in_use when it is linked to another account). Needs a recent " +
      'proof of identity (see POST /user/auth/reauthenticate). 400: a malformed provider id; 404: an unknown ' +
      'provider; 503: the provider cannot be reached.',
  })
  @ApiOkResponse({ type: AuthorizationUrlDto })
  @ApiProblems(401, 403, 404)
  async link(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('provider', ProviderIdParamPipe) provider: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthorizationUrlDto> {
    const started = await this.start.link(signedInCaller(caller, request), provider);
    this.cookie.set(reply, started.browserBinding);
    return { authorizationUrl: started.authorizationUrl };
  }

  @RequiresRecentAuth()
  // Below @RequiresRecentAuth(): its 403 schema (both codes) is the one the document keeps.
  @NotWhileImpersonating()
  @Delete(':id')
  @HttpCode(204)
  @JsonBodyOnly()
  @ApiOperation({
    summary: 'Unlink an identity',
    description:
      '404 for an identity that is not the caller’s. 409 when it is the account’s last way to sign in (no ' +
      'password, no passkey, no other identity). Needs a recent proof of identity.',
  })
  @ApiNoContentResponse({ description: 'Unlinked' })
  @ApiProblems(401, 403, 404, 409)
  async unlink(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam()) id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.links.unlink(signedInCaller(caller, request), id);
  }
}
