import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../config/app.config';
import { buildOpenApiDocument } from './openapi-document';
import { registerRedocPage } from './redoc-page';

/** /docs (Swagger UI), /redoc (ReDoc) and /openapi.json, unless DOCS_ENABLED=false. */
export function setUpDocs(app: NestFastifyApplication, config: AppConfig): void {
  // DOCS_ENABLED=false: the three routes do not exist (404), for operators who publish no API map.
  if (!config.docsEnabled) return;
  // Built on the first request for it, not at start: generating it scans every route and DTO.
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, config), {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: `${config.appName} - Swagger UI`,
    swaggerOptions: { withCredentials: true, persistAuthorization: false },
  });
  registerRedocPage(app.getHttpAdapter().getInstance(), config.appName);
}
