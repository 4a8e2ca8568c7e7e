import { applyDecorators, Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import { Public } from '../common/decorators/public.decorator';
import { AnswersMalformedInput } from '../common/validation/request-input.hook';
import { AppConfig } from '../config/app.config';
import {
  CallbackParametersPipe,
  OIDC_CALLBACK_PARAMETERS,
  OidcAuthorizeQueryDto,
  OidcCallbackParameters,
  ProviderIdPipe,
} from '../identities/dto/oidc.dto';
import { ExternalAccounts } from '../identities/external-accounts';
import { IdentityLinks } from '../identities/identity-links';
import { OidcFailure } from '../identities/oidc-failure';
import { OidcFlowCookie } from '../identities/oidc-flow-cookie';
import { OidcFlows } from '../identities/oidc-flows';
import { OidcProviders } from '../identities/oidc-providers';
import { defaultReturnTo, OidcSignInStart, withError } from '../identities/oidc-sign-in-start';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { OidcReauthentication } from './oidc-reauthentication';
import { clientInfo } from '../logging/client-info';
import { AuthCookies } from './auth-cookies';
import { ExternalSignIn } from './external-sign-in';
import { ApiImpersonationForbidden } from '../common/decorators/not-while-impersonating.decorator';

/** The callback's query parameters, documented one by one (they are read from the raw query). */
const ApiCallbackQuery = (): MethodDecorator =>
  applyDecorators(
    ...Object.entries(OIDC_CALLBACK_PARAMETERS).map(([name, description]) =>
      ApiQuery({ name, description, required: false, schema: { type: 'string' } }),
    ),
  );

@ApiTags('Authentication')
@Controller('user/auth/oidc')
export class OidcSignInController {
  constructor(
    private readonly providers: OidcProviders,
    private readonly flows: OidcFlows,
    private readonly accounts: ExternalAccounts,
    private readonly links: IdentityLinks,
    private readonly signIn: ExternalSignIn,
    private readonly flowCookie: OidcFlowCookie,
    private readonly cookies: AuthCookies,
    private readonly app: AppConfig,
    private readonly clock: Clock,
    private readonly start: OidcSignInStart,
    private readonly reauthentication: OidcReauthentication,
  ) {}

  @Public()
  @Get(':provider/authorize')
  @ApiOperation({
    summary: 'Start a sign-in (or a reauthentication) with an OpenID provider',
    description:
      'Open in the browser (a top-level navigation): 302 to the provider (authorization code with PKCE S256, ' +
      'state and nonce), setting the HttpOnly cookie oidc_flow (__Host-oidc_flow with COOKIE_PREFIX) that binds ' +
      'the flow to this browser for 10 minutes. When the provider cannot be reached: 302 to returnTo with ' +
      '?error=provider_unavailable. With reauth=true, for a signed-in session (its cookie): prompt=login and ' +
      "max_age=0 at the provider; the callback renews the session's proof of identity when the identity is " +
      'linked to its user (else ?error=invalid_request). 400: a returnTo outside FRONTEND_URL and CORS_ORIGINS. ' +
      '401: reauth=true without a live session. 403: reauth=true with an impersonation token. 404: an unknown provider.',
  })
  @ApiFoundResponse({
    description: 'To the provider, or to returnTo with ?error=provider_unavailable',
    headers: { Location: { schema: { type: 'string', format: 'uri' } } },
  })
  // The route's own problems and the service's (ApiServiceProblems is for a whole controller; the callback never answers one).
  @ApiProblems(400, 401, 404, 429, 503)
  // reauth=true with an administrator's impersonation token: 403 impersonation_forbidden.
  @ApiImpersonationForbidden()
  async authorize(
    @Param('provider', ProviderIdPipe) provider: string,
    @Query() query: OidcAuthorizeQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const started =
      query.reauth === 'true'
        ? await this.start.reauth(await this.reauthentication.caller(request), provider, query.returnTo)
        : await this.start.signIn(provider, query.returnTo);
    if ('unavailable' in started) return void reply.redirect(started.unavailable, 302);
    this.flowCookie.set(reply, started.browserBinding);
    return void reply.redirect(started.authorizationUrl, 302);
  }

  @Public()
  @AnswersMalformedInput()
  @Get(':provider/callback')
  @ApiOperation({
    summary: "An OpenID provider's redirect back",
    description:
      'Always a 302, never problem details. Signed in: to returnTo with the session cookies set; a user with TOTP: ' +
      'to returnTo with #mfaToken=… in the fragment, for POST /user/auth/mfa. Otherwise to returnTo (or ' +
      "FRONTEND_URL's / when the flow is unknown) with ?error= invalid_request (any check failed: state unknown, " +
      'spent, older than 10 minutes or of another browser; the code exchange; the ID token signature, iss, aud, ' +
      "exp, nonce), access_denied (the provider's own error), provider_unavailable, account_exists (an account " +
      'holds that email: sign in, then link), email_not_verified, account_disabled or account_banned.',
  })
  @ApiFoundResponse({
    description: 'To returnTo: signed in, with #mfaToken=…, or with ?error=<code>',
    headers: { Location: { schema: { type: 'string', format: 'uri' } } },
  })
  @ApiCallbackQuery()
  async callback(
    @Param('provider', ProviderIdPipe) providerId: string,
    @Query(CallbackParametersPipe) query: OidcCallbackParameters,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const client = clientInfo(request);
    const binding = this.flowCookie.read(request);
    this.flowCookie.clear(reply);
    try {
      const provider = this.providers.find(providerId);
      if (!provider) throw new OidcFailure('invalid_request', 'unknown provider');
      const { flow, claims } = await this.flows.finish(provider, query, binding);
      try {
        if (flow.purpose === 'reauth') {
          await this.links.reauthenticate(flow, provider, claims);
          return void reply.redirect(flow.returnTo, 302);
        }
        if (flow.purpose === 'link') {
          await this.links.link(flow, provider, claims);
          return void reply.redirect(flow.returnTo, 302);
        }
        const { user } = await this.accounts.forSignIn(provider, claims, client);
        const result = await this.signIn.complete(user, provider.id, client);
        if (result.kind === 'mfa') {
          const target = new URL(flow.returnTo);
          target.hash = `mfaToken=${encodeURIComponent(result.mfaToken)}`;
          return void reply.redirect(target.href, 302);
        }
        const { signedIn } = result;
        const refreshMaxAge = Math.round((signedIn.refreshExpiresAt.getTime() - this.clock.now().getTime()) / 1000);
        this.cookies.set(reply, signedIn.accessToken, signedIn.refreshToken, Math.max(0, refreshMaxAge));
        return void reply.redirect(flow.returnTo, 302);
      } catch (error) {
        throw error instanceof OidcFailure ? error.at(flow.returnTo) : error;
      }
    } catch (error) {
      const failure =
        error instanceof OidcFailure
          ? error
          : new OidcFailure('invalid_request', `unexpected: ${(error as Error).name}`, undefined);
      await this.signIn.failed(providerId, failure.code, failure.reason, client);
      return void reply.redirect(withError(failure.returnTo ?? defaultReturnTo(this.app), failure.code), 302);
    }
  }
}
