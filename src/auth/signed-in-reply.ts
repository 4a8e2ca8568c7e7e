import { FastifyReply } from 'fastify';
import { toUserDto } from '../users/dto/user.dto';
import { AuthCookies } from './auth-cookies';
import { SignedIn } from './auth.service';
import { AuthResponseDto } from './dto/auth-response.dto';

/** Sets both cookies and builds the body shared by login, refresh and password change. */
export function signedInReply(
  signedIn: SignedIn,
  reply: FastifyReply,
  cookies: AuthCookies,
  now: Date,
): AuthResponseDto {
  const refreshMaxAge = Math.max(0, Math.round((signedIn.refreshExpiresAt.getTime() - now.getTime()) / 1000));
  cookies.set(reply, signedIn.accessToken, signedIn.refreshToken, refreshMaxAge);
  return {
    user: toUserDto(signedIn.user),
    accessToken: signedIn.accessToken,
    refreshToken: signedIn.refreshToken,
    tokenType: 'Bearer',
    expiresIn: signedIn.expiresIn,
  };
}
