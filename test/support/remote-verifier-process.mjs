// A resource server of its own, in a separate process: verifies access tokens with jose against the
// service's /.well-known/jwks.json, as the README's example does. Driven over IPC by remote-verifier.ts.
import { createRemoteJWKSet, jwtVerify } from 'jose';

process.on('message', async ({ id, token, jwksUrl, issuer, audience, currentDate }) => {
  try {
    // A fresh set per check: what a resource server sees once its cache (JWKS_MAX_AGE_SECONDS) ran out.
    const jwks = createRemoteJWKSet(new URL(jwksUrl));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer,
      audience,
      algorithms: ['ES256', 'RS256'],
      ...(currentDate ? { currentDate: new Date(currentDate) } : {}),
    });
    if (payload.act !== undefined)
      throw Object.assign(new Error('impersonation token refused'), { code: 'ACT_REFUSED' });
    process.send({ id, ok: true, kid: protectedHeader.kid, sub: payload.sub });
  } catch (error) {
    process.send({ id, ok: false, code: error.code ?? error.name, message: error.message });
  }
});
process.send({ ready: true });
