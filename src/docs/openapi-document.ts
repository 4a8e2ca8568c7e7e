import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { MAX_BODY_DEPTH, MAX_BODY_ENTRIES } from '../common/body-shape/body-shape';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../common/openapi/security-schemes';
import { AppConfig } from '../config/app.config';
import { AuthConfig } from '../config/auth.config';
import { METRICS_TOKEN_SCHEME } from '../metrics/metrics-token.guard';
import { orderedTags } from './api-tags';

/** Shown at the top of Swagger UI and ReDoc: a cookie typed into Authorize would never be sent. */
const HOW_TO_AUTHORIZE =
  '\n\n**How to authorize here.** Call `POST /user/auth/login` (Try it out), copy `accessToken` from its ' +
  'answer, press **Authorize** and paste it under **bearer**; every call from the page then sends it. ' +
  'The **sessionCookie** scheme cannot be filled in by hand: a browser never sends a cookie that a ' +
  "page's script sets. It works only through the browser's own cookies, which calling login from this " +
  'page sets, so that the calls after it carry them.';

/** The OpenAPI 3 document, generated from the controllers and DTOs. */
export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const sessionCookie = app.get(AuthConfig).sessionCookieName;
  const builder = new DocumentBuilder()
    .setTitle(config.appName)
    .setVersion(config.appVersion ?? '0.0.0')
    .setDescription(
      'Authentication and user management. Every error is RFC 9457 problem details ' +
        '(application/problem+json) with a requestId that also appears in the logs. ' +
        'Request bodies may be JSON or application/x-www-form-urlencoded, of at most ' +
        `${MAX_BODY_ENTRIES} keys and array items in total, nested at most ${MAX_BODY_DEPTH} levels deep (else 400).` +
        HOW_TO_AUTHORIZE,
    )
    // The cookie's name in force: __Host-user_session with COOKIE_PREFIX.
    .addCookieAuth(
      sessionCookie,
      {
        type: 'apiKey',
        in: 'cookie',
        name: sessionCookie,
        description:
          'Set by the browser itself when login is called from this page; a value typed in here is never ' +
          'sent (browsers do not send script-set cookies). To authorize by hand, use bearer.',
      },
      SESSION_COOKIE_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'The accessToken that login, the second step or refresh answers with. Claims: sub (user id), sid ' +
          '(session id), ver (token version), iss, aud, iat, exp, jti; and act, `{ "sub": <admin id> }`, on an ' +
          "administrator's impersonation token only (POST /admin/users/{id}/impersonate): the admin acting as " +
          'sub. A resource server should refuse tokens carrying act unless it opts in to impersonation.',
      },
      BEARER_SCHEME,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, on /metrics and the detailed health routes' },
      METRICS_TOKEN_SCHEME,
    );
  // Without APP_URL the document names no server, so Swagger UI calls the origin it was loaded from.
  if (config.appUrl) builder.addServer(config.appUrl);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    // An untagged controller would otherwise get its class name as a tag, and a method tag beside it.
    autoTagControllers: false,
  });
  document.tags = orderedTags(document);
  if (!config.metricsToken) allowAnonymousMetrics(document);
  return document;
}

/** Without METRICS_TOKEN those routes are open: an empty requirement says so (OpenAPI 3, optional security). */
function allowAnonymousMetrics(document: OpenAPIObject): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as Array<{ security?: Array<Record<string, string[]>> }>) {
      if (operation.security?.some((requirement) => METRICS_TOKEN_SCHEME in requirement)) {
        operation.security = [{}, ...operation.security];
      }
    }
  }
}
