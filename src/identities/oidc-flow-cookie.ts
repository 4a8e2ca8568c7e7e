import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app.config';
import { AuthConfig } from '../config/auth.config';
import { FLOW_LIFETIME_MS } from './oidc-flows';

const NAME = 'oidc_flow';

/**
 * The `oidc_flow` cookie binding a provider flow to the browser that started it: HttpOnly, SameSite=Lax
 * (the callback is a top-level GET from the provider's site), `__Host-` with COOKIE_PREFIX, 10 minutes.
 */
@Injectable()
export class OidcFlowCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(auth: AuthConfig, app: AppConfig) {
    this.name = auth.cookiePrefix ? `__Host-${NAME}` : NAME;
    this.secure = auth.cookiePrefix || app.isProduction;
  }

  read(request: FastifyRequest): string | undefined {
    return request.cookies?.[this.name] || undefined;
  }

  set(reply: FastifyReply, value: string): void {
    void reply.setCookie(this.name, value, { ...this.attributes(), maxAge: FLOW_LIFETIME_MS / 1000 });
  }

  clear(reply: FastifyReply): void {
    void reply.setCookie(this.name, '', { ...this.attributes(), maxAge: 0 });
  }

  private attributes(): { path: string; httpOnly: true; sameSite: 'lax'; secure: boolean } {
    return { path: '/', httpOnly: true, sameSite: 'lax', secure: this.secure };
  }
}
