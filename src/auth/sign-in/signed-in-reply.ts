import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { Clock } from '../../common/clock';
import { toUserDto } from '../../users/dto/user.dto';
import { AuthCookies } from '../auth-cookies';
import { AuthResponseDto } from '../dto/auth-response.dto';
import { SignedIn } from './session-issuer';

/** The answer to every sign-in (and refresh, and password change): both cookies set, and the tokens in the body. */
@Injectable()
export class SignedInReply {
  constructor(
    private readonly cookies: AuthCookies,
    private readonly clock: Clock,
  ) {}

  send(reply: FastifyReply, signedIn: SignedIn): AuthResponseDto {
    const untilExpiry = signedIn.refreshExpiresAt.getTime() - this.clock.now().getTime();
    const refreshMaxAge = Math.max(0, Math.round(untilExpiry / 1000));
    this.cookies.set(reply, signedIn.accessToken, signedIn.refreshToken, refreshMaxAge);
    return {
      user: toUserDto(signedIn.user),
      accessToken: signedIn.accessToken,
      refreshToken: signedIn.refreshToken,
      tokenType: 'Bearer',
      expiresIn: signedIn.expiresIn,
    };
  }
}
