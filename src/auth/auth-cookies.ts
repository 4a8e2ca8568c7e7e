import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app.config';
import { AuthConfig } from '../config/auth.config';

const REFRESH_PATH = '/user/auth';

/**
 * The session (access JWT) and refresh cookies: HttpOnly, SameSite=Lax, Secure in production, and
 * with COOKIE_PREFIX the __Host-/__Secure- names (the plain names are then not read).
 */
@Injectable()
export class AuthCookies {
  readonly sessionName: string;
  readonly refreshName: string;
  private readonly secure: boolean;

  constructor(
    private readonly auth: AuthConfig,
    app: AppConfig,
  ) {
    this.sessionName = auth.sessionCookieName;
    this.refreshName = auth.refreshCookieName;
    this.secure = auth.cookiePrefix || app.isProduction;
  }

  sessionToken(request: FastifyRequest): string | undefined {
    return request.cookies?.[this.sessionName] || undefined;
  }

  refreshToken(request: FastifyRequest): string | undefined {
    return request.cookies?.[this.refreshName] || undefined;
  }

  set(reply: FastifyReply, accessToken: string, refreshToken: string, refreshMaxAgeSeconds: number): void {
    void reply.setCookie(this.sessionName, accessToken, {
      ...this.attributes('/'),
      maxAge: this.auth.accessTokenExpireMinutes * 60,
    });
    void reply.setCookie(this.refreshName, refreshToken, {
      ...this.attributes(REFRESH_PATH),
      maxAge: refreshMaxAgeSeconds,
    });
  }

  clear(reply: FastifyReply): void {
    void reply.setCookie(this.sessionName, '', { ...this.attributes('/'), maxAge: 0 });
    void reply.setCookie(this.refreshName, '', { ...this.attributes(REFRESH_PATH), maxAge: 0 });
  }

  private attributes(path: string): { path: string; httpOnly: true; sameSite: 'lax'; secure: boolean } {
    return { path, httpOnly: true, sameSite: 'lax', secure: this.secure };
  }
}
