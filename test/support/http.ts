import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LightMyRequestResponse } from 'fastify';

/** Request headers: `bearer(token)` from accounts.ts, `cookies({...})` below, or any others, spread together. */
export type Headers = Record<string, string>;

type Payload = object | string | undefined;

/** One request through the real Fastify server (app.inject), the way every e2e test sends one. */
export function send(
  app: NestFastifyApplication,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: Payload,
  headers: Headers = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, payload: payload as never, headers });
}

export const get = (app: NestFastifyApplication, url: string, headers?: Headers): Promise<LightMyRequestResponse> =>
  send(app, 'GET', url, undefined, headers);

export const post = (
  app: NestFastifyApplication,
  url: string,
  payload?: Payload,
  headers?: Headers,
): Promise<LightMyRequestResponse> => send(app, 'POST', url, payload, headers);

export const patch = (
  app: NestFastifyApplication,
  url: string,
  payload?: Payload,
  headers?: Headers,
): Promise<LightMyRequestResponse> => send(app, 'PATCH', url, payload, headers);

export const del = (
  app: NestFastifyApplication,
  url: string,
  headers?: Headers,
  payload?: Payload,
): Promise<LightMyRequestResponse> => send(app, 'DELETE', url, payload, headers);

/** A Cookie header carrying the given cookies, as a browser sends them. */
export function cookies(values: Record<string, string>): Headers {
  return {
    cookie: Object.entries(values)
      .map(([name, value]) => `${name}=${value}`)
      .join('; '),
  };
}
