import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators/public.decorator';
import { ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { OidcProviderDto } from './dto/oidc.dto';
import { OidcProviders } from './oidc-providers';

@ApiTags('Authentication')
@ApiServiceProblems()
@Controller('user/auth/oidc')
export class OidcProvidersController {
  constructor(private readonly providers: OidcProviders) {}

  @Public()
  @Get('providers')
  @ApiOperation({ summary: 'The OpenID providers one may sign in with (OIDC_PROVIDERS)' })
  @ApiOkResponse({ type: [OidcProviderDto] })
  list(): OidcProviderDto[] {
    return this.providers.list().map(({ id, name }) => ({ id, name }));
  }
}
