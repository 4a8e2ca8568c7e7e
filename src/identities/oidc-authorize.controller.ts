import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { OidcAuthorizeQueryDto, OidcProviderDto, ProviderIdPipe } from './dto/oidc.dto';
import { OidcFlowCookie } from './oidc-flow-cookie';
import { OidcProviders } from './oidc-providers';
import { OidcSignInStart } from './oidc-sign-in-start';

@ApiTags('Authentication')
@ApiServiceProblems()
@Controller('user/auth/oidc')
export class OidcAuthorizeController {
  constructor(
    private readonly providers: OidcProviders,
    private readonly start: OidcSignInStart,
    private readonly cookie: OidcFlowCookie,
  ) {}

  @Public()
  @Get('providers')
  @ApiOperation({ summary: 'The OpenID providers one may sign in with (OIDC_PROVIDERS)' })
  @ApiOkResponse({ type: [OidcProviderDto] })
  list(): OidcProviderDto[] {
    return this.providers.list().map(({ id, name }) => ({ id, name }));
  }

  @Public()
  @Get(':provider/authorize')
  @ApiOperation({
    summary: 'Start a sign-in with an OpenID provider',
    description:
      'Open in the browser (a top-level navigation): 302 to the provider (authorization code with PKCE S256, ' +
      'state and nonce), setting the HttpOnly cookie oidc_flow (__Host-oidc_flow with COOKIE_PREFIX) that binds ' +
      'the flow to this browser for 10 minutes. When the provider cannot be reached: 302 to returnTo with ' +
      '?error=provider_unavailable. 400: a returnTo outside FRONTEND_URL and CORS_ORIGINS. 404: an unknown provider.',
  })
  @ApiFoundResponse({
    description: 'To the provider, or to returnTo with ?error=provider_unavailable',
    headers: { Location: { schema: { type: 'string', format: 'uri' } } },
  })
  @ApiProblems(404)
  async authorize(
    @Param('provider', ProviderIdPipe) provider: string,
    @Query() query: OidcAuthorizeQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const started = await this.start.signIn(provider, query.returnTo);
    if ('unavailable' in started) return void reply.redirect(started.unavailable, 302);
    this.cookie.set(reply, started.browserBinding);
    return void reply.redirect(started.authorizationUrl, 302);
  }
}
