import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { RedisConnection } from '../src/security/redis/redis-connection';
import { bearer, registerAndLogin } from './support/accounts';
import { OwnRedisServer } from './support/own-redis-server';
import { SoftwareAuthenticator } from './support/software-authenticator';
import { startTestApp, TestApp } from './support/test-app';

const ORIGIN = 'http://localhost:8000';

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('passkey challenges while Redis goes away and comes back', () => {
  let own: OwnRedisServer;
  let t: TestApp;

  beforeAll(async () => {
    own = await OwnRedisServer.start();
    t = await startTestApp({ env: { REDIS_URL: own.url() } });
  });
  afterAll(async () => {
    await t?.close();
    await own?.stop();
  });

  const post = (url: string, payload?: object, token?: string) =>
    t.app.inject({ method: 'POST', url, payload, headers: token ? bearer(token) : {} });
  const requestOptions = async (): Promise<PublicKeyCredentialRequestOptionsJSON> =>
    (await post('/user/auth/passkey/options', {})).json();

  it('keeps passkey sign-in working from PostgreSQL, and a challenge issued meanwhile works once afterwards', async () => {
    const client = await registerAndLogin(t.app);
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    const creation: PublicKeyCredentialCreationOptionsJSON = (
      await post('/user/passkeys/registration/options', undefined, client.accessToken)
    ).json();
    const added = await post(
      '/user/passkeys/registration',
      { credential: authenticator.create(creation) },
      client.accessToken,
    );
    expect(added.statusCode).toBe(201);

    await own.stop();
    expect(
      (await post('/user/auth/passkey', { credential: authenticator.get(await requestOptions()) })).statusCode,
    ).toBe(200);
    expect(t.app.get(RedisConnection).state).toBe('down');
    // Signed after the sign-in above, so its counter is the higher one.
    const duringOutage = authenticator.get(await requestOptions());

    await own.start();
    await until(() => t.app.get(RedisConnection).state === 'up', 'Redis is back');
    expect((await post('/user/auth/passkey', { credential: duringOutage })).statusCode).toBe(200);
    expect((await post('/user/auth/passkey', { credential: duringOutage })).statusCode).toBe(400);
    expect(
      (await post('/user/auth/passkey', { credential: authenticator.get(await requestOptions()) })).statusCode,
    ).toBe(200);
  });
});
