import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, registerAndLogin, SignedInClient } from './accounts';
import { CeremonyOverrides, SoftwareAuthenticator } from './software-authenticator';

/** The page origin of the passkey tests, and the settings that make example.com the relying party. */
export const APP_ORIGIN = 'https://app.example.com';
export const PASSKEY_TEST_ENV = {
  APP_URL: 'https://auth.example.com',
  CORS_ORIGINS: JSON.stringify([APP_ORIGIN]),
  WEBAUTHN_RP_ID: 'example.com',
  WEBAUTHN_RP_NAME: 'ClickBit Test',
};

export interface PasskeyBody {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
  transports: string[];
}

/** The passkey routes as a client calls them, each ceremony run by a software authenticator. */
export function passkeyCalls(app: NestFastifyApplication) {
  const post = (url: string, client: SignedInClient | undefined, payload?: object) =>
    app.inject({ method: 'POST', url, payload, headers: client ? bearer(client.accessToken) : {} });

  async function creationOptions(client: SignedInClient): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const res = await post('/user/passkeys/registration/options', client);
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  async function addPasskey(
    client: SignedInClient,
    authenticator: SoftwareAuthenticator,
    name?: string,
  ): Promise<PasskeyBody> {
    const credential = authenticator.create(await creationOptions(client));
    const res = await post('/user/passkeys/registration', client, { credential, name });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  async function requestOptions(email?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const res = await post('/user/auth/passkey/options', undefined, email === undefined ? undefined : { email });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  async function signIn(authenticator: SoftwareAuthenticator, overrides: CeremonyOverrides = {}, email?: string) {
    const credential = authenticator.get(await requestOptions(email), overrides);
    return post('/user/auth/passkey', undefined, { credential });
  }

  /** A signed-in user with one passkey, held by its own authenticator. */
  async function withPasskey(): Promise<{
    client: SignedInClient;
    authenticator: SoftwareAuthenticator;
    passkey: PasskeyBody;
  }> {
    const client = await registerAndLogin(app);
    const authenticator = new SoftwareAuthenticator(APP_ORIGIN);
    return { client, authenticator, passkey: await addPasskey(client, authenticator) };
  }

  const me = (client: SignedInClient) =>
    app.inject({ method: 'GET', url: '/user/me', headers: bearer(client.accessToken) });

  return { post, creationOptions, addPasskey, requestOptions, signIn, withPasskey, me };
}
