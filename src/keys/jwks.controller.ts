import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ProblemException } from '../common/problem-details/problem.exception';
import { AuthConfig } from '../config/auth.config';
import { JwksDto, PublicJwkDto } from './dto/jwks.dto';
import { SigningKeys } from './signing-keys';

@ApiTags('Keys')
@ApiProblems(400)
@Public()
@SkipThrottle()
@Controller('.well-known')
export class JwksController {
  private readonly cacheControl: string;

  constructor(
    private readonly keys: SigningKeys,
    config: AuthConfig,
  ) {
    this.cacheControl = `public, max-age=${config.jwksMaxAgeSeconds}`;
  }

  @Get('jwks.json')
  @ApiOperation({
    summary: 'Public signing keys (JWKS) for services that verify access tokens themselves',
    description:
      'With ALGORITHM ES256 (default) or RS256. A next key is published at least 2 × JWKS_MAX_AGE_SECONDS ' +
      'before it signs; a retired key stays until its last token has expired. With HS256/384/512: 404.',
  })
  @ApiOkResponse({
    type: JwksDto,
    headers: { 'Cache-Control': { description: 'public, max-age=JWKS_MAX_AGE_SECONDS', schema: { type: 'string' } } },
  })
  @ApiProblems(404, 503)
  async jwks(@Res({ passthrough: true }) reply: FastifyReply): Promise<JwksDto> {
    if (!this.keys.enabled) {
      throw new ProblemException(
        404,
        'No published keys: ALGORITHM is symmetric (HS*), tokens are signed with SECRET_KEY',
      );
    }
    const keys: PublicJwkDto[] = await this.keys.publishedKeys();
    // Only a successful answer is cacheable (every other keeps the request hook's no-store).
    void reply.header('cache-control', this.cacheControl);
    return { keys };
  }
}
