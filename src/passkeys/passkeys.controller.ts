import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { FastifyRequest } from 'fastify';
import { JsonBodyOnly } from '../common/body-shape/json-body-only';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../common/openapi/security-schemes';
import { uuidParam } from '../common/uuid-param.pipe';
import { RequiresRecentAuth } from '../sessions/recent-proof/requires-recent-auth.decorator';
import { AuthenticatedUser, signedInCaller } from '../users/authenticated-user';
import { PasskeyDto, toPasskeyDto } from './dto/passkey.dto';
import { RegisterPasskeyDto, RenamePasskeyDto } from './dto/passkey-requests.dto';
import { CreationOptionsDto } from './dto/webauthn-options.dto';
import { PasskeyRegistration } from './passkey-registration';
import { PasskeysService } from './passkeys.service';
import { CHALLENGE_LIFETIME_MS } from './webauthn-challenges';
import { NotWhileImpersonating } from '../common/decorators/not-while-impersonating.decorator';

@ApiTags('Passkeys')
@ApiCookieAuth(SESSION_COOKIE_SCHEME)
@ApiBearerAuth(BEARER_SCHEME)
@ApiServiceProblems()
@Controller('user/passkeys')
export class PasskeysController {
  constructor(
    private readonly registration: PasskeyRegistration,
    private readonly passkeys: PasskeysService,
  ) {}

  @RequiresRecentAuth()
  // Below @RequiresRecentAuth(): its 403 schema (both codes) is the one the document keeps.
  @NotWhileImpersonating()
  @Post('registration/options')
  @HttpCode(200)
  @JsonBodyOnly()
  @ApiOperation({
    summary: 'Start adding a passkey',
    description:
      'PublicKeyCredentialCreationOptionsJSON for PublicKeyCredential.parseCreationOptionsFromJSON(): a resident ' +
      "key and user verification are required, the user's passkeys excluded. The challenge is single use " +
      'and expires after 5 minutes. Needs a recent proof of identity (see POST /user/auth/reauthenticate).',
  })
  @ApiOkResponse({ type: CreationOptionsDto })
  @ApiProblems(401, 403)
  // Documented by CreationOptionsDto; returned as the library built it.
  options(@CurrentUser() caller: AuthenticatedUser): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return this.registration.options(caller.user);
  }

  @RequiresRecentAuth({ firstStepLiveMs: CHALLENGE_LIFETIME_MS })
  // Below @RequiresRecentAuth(): its 403 schema (both codes) is the one the document keeps.
  @NotWhileImpersonating()
  @Post('registration')
  @JsonBodyOnly(RegisterPasskeyDto)
  @ApiOperation({
    summary: 'Add a passkey',
    description:
      'Takes credential.toJSON() of navigator.credentials.create(). Every other session of the user ends. ' +
      'The owner is mailed about it, with a link to undo it (SECURITY_NOTIFICATIONS). 400: a malformed ' +
      'credential, a challenge that is unknown, spent or expired, or a credential that fails verification ' +
      '(origin outside WEBAUTHN_ORIGINS, another relying party id, no user verification, a cross-origin ' +
      'ceremony, id or rawId other than the attested credential id, a public key that is not a valid ES256, ' +
      'EdDSA or RS256 (at least 2048 bits) key, a transport outside the WebAuthn list). 409: already registered. ' +
      'Accepted when its options were asked for under a recent proof of identity and their challenge is still live.',
  })
  @ApiCreatedResponse({ type: PasskeyDto })
  @ApiProblems(401, 403, 409)
  async register(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: RegisterPasskeyDto,
    @Req() request: FastifyRequest,
  ): Promise<PasskeyDto> {
    return toPasskeyDto(await this.registration.register(signedInCaller(caller, request), body.credential, body.name));
  }

  @Get()
  @ApiOperation({ summary: "The user's passkeys", description: 'Oldest first.' })
  @ApiOkResponse({ type: [PasskeyDto] })
  @ApiProblems(401)
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<PasskeyDto[]> {
    return (await this.passkeys.list(caller.user.id)).map(toPasskeyDto);
  }

  @NotWhileImpersonating()
  @Patch(':id')
  @JsonBodyOnly(RenamePasskeyDto)
  @ApiOperation({ summary: 'Rename a passkey' })
  @ApiOkResponse({ type: PasskeyDto })
  @ApiProblems(401, 403, 404)
  async rename(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam()) id: string,
    @Body() body: RenamePasskeyDto,
    @Req() request: FastifyRequest,
  ): Promise<PasskeyDto> {
    return toPasskeyDto(await this.passkeys.rename(caller.user.id, id, body.name, request.ip));
  }

  @RequiresRecentAuth()
  // Below @RequiresRecentAuth(): its 403 schema (both codes) is the one the document keeps.
  @NotWhileImpersonating()
  @Delete(':id')
  @HttpCode(204)
  @JsonBodyOnly()
  @ApiOperation({
    summary: 'Remove a passkey',
    description:
      'Every other session of the user ends. 404 for a passkey that is not the caller’s. Needs a recent proof of ' +
      'identity (see POST /user/auth/reauthenticate).',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(401, 403, 404)
  async remove(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', uuidParam()) id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.passkeys.remove(signedInCaller(caller, request), id);
  }
}
