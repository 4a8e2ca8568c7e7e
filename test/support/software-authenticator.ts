import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_CREDENTIAL = 0x40;

interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  cosePublicKey: Uint8Array;
  rpId: string;
  userHandle: string;
  counter: number;
}

/** What a test may falsify in a ceremony, as a hostile page or a broken authenticator would. */
export interface CeremonyOverrides {
  /** The page origin the browser would write into clientDataJSON. */
  origin?: string;
  /** The RP ID whose hash goes into authenticatorData (a credential for another site). */
  rpId?: string;
  /** The signature counter to report instead of the next one (a cloned authenticator). */
  counter?: number;
  /** Sign other bytes than the ones sent (a forged assertion). */
  corruptSignature?: boolean;
  /** The credential to use instead of the only one held (for several passkeys). */
  credentialId?: string;
  /** false: a security key without PIN or biometrics (user present, not verified). */
  userVerified?: boolean;
  /** Registration: the COSE public key to attest instead of the real one (a malformed key). */
  cosePublicKey?: Uint8Array;
  /** clientDataJSON's crossOrigin and topOrigin (a ceremony framed by another site). */
  crossOrigin?: boolean;
  topOrigin?: string;
}

function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

/** An EC2 P-256 public key as COSE_Key (RFC 9053): kty 2, alg -7 (ES256), crv 1, x, y. */
function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x as string, 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y as string, 'base64url'))],
    ]),
  );
}

function clientData(
  type: 'webauthn.create' | 'webauthn.get',
  challenge: string,
  origin: string,
  overrides: CeremonyOverrides,
): Buffer {
  const topOrigin = overrides.topOrigin === undefined ? {} : { topOrigin: overrides.topOrigin };
  return Buffer.from(
    JSON.stringify({ type, challenge, origin, crossOrigin: overrides.crossOrigin ?? false, ...topOrigin }),
  );
}

function flags(overrides: CeremonyOverrides, extra = 0): Buffer {
  return Buffer.from([FLAG_USER_PRESENT | (overrides.userVerified === false ? 0 : FLAG_USER_VERIFIED) | extra]);
}

/**
 * A platform authenticator in software (node:crypto P-256 keys, attestation "none"), producing the
 * same JSON a browser's credential.toJSON() gives, so the e2e tests and the bench run real ceremonies.
 */
export class SoftwareAuthenticator {
  private readonly credentials: StoredCredential[] = [];

  constructor(private readonly origin: string) {}

  /** navigator.credentials.create(): a new resident credential for the options' RP and user. */
  create(options: PublicKeyCredentialCreationOptionsJSON, overrides: CeremonyOverrides = {}): RegistrationResponseJSON {
    const rpId = options.rp.id as string;
    const excluded = new Set((options.excludeCredentials ?? []).map((descriptor) => descriptor.id));
    if (this.credentials.some((held) => excluded.has(held.id.toString('base64url')) && held.rpId === rpId)) {
      throw new Error('InvalidStateError: this authenticator already holds an excluded credential');
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credential: StoredCredential = {
      id: randomBytes(32),
      privateKey,
      cosePublicKey: coseKey(publicKey),
      rpId,
      userHandle: options.user.id,
      counter: 0,
    };
    this.credentials.push(credential);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? rpId),
      flags(overrides, FLAG_ATTESTED_CREDENTIAL),
      uint32(credential.counter),
      Buffer.alloc(16), // AAGUID: zeros, as for attestation "none"
      idLength,
      credential.id,
      Buffer.from(overrides.cosePublicKey ?? credential.cosePublicKey),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    const id = credential.id.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: clientData(
          'webauthn.create',
          options.challenge,
          overrides.origin ?? this.origin,
          overrides,
        ).toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['internal', 'hybrid'],
      },
      clientExtensionResults: { credProps: { rk: true } },
    };
  }

  /** navigator.credentials.get(): an assertion by the allowed (or only, or chosen) credential. */
  get(options: PublicKeyCredentialRequestOptionsJSON, overrides: CeremonyOverrides = {}): AuthenticationResponseJSON {
    const allowed = new Set((options.allowCredentials ?? []).map((descriptor) => descriptor.id));
    const candidates = this.credentials.filter(
      (held) =>
        held.rpId === options.rpId &&
        (allowed.size === 0 || allowed.has(held.id.toString('base64url'))) &&
        (overrides.credentialId === undefined || held.id.toString('base64url') === overrides.credentialId),
    );
    const credential = overrides.credentialId
      ? this.credentials.find((held) => held.id.toString('base64url') === overrides.credentialId)
      : candidates[candidates.length - 1];
    if (!credential) throw new Error('NotAllowedError: no credential for this relying party');
    credential.counter = overrides.counter ?? credential.counter + 1;
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? credential.rpId),
      flags(overrides),
      uint32(credential.counter),
    ]);
    const clientDataJSON = clientData('webauthn.get', options.challenge, overrides.origin ?? this.origin, overrides);
    const signed = Buffer.concat([authData, sha256(clientDataJSON)]);
    if (overrides.corruptSignature) signed[0] ^= 0xff;
    const id = credential.id.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: sign('sha256', signed, credential.privateKey).toString('base64url'),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
    };
  }
}
