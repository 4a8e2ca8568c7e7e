import { RegistrationResponseDto } from './dto/webauthn-credential.dto';
import { isUsablePublicKey } from './credential-public-key';

/** What the library verified: the credential id and COSE public key inside the authenticator data. */
export interface AttestedCredential {
  id: string;
  publicKey: Uint8Array;
}

/** clientDataJSON's crossOrigin: true when the ceremony ran in a frame of another site. */
function ranCrossOrigin(clientDataJSON: string): boolean {
  try {
    const clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as unknown;
    return (clientData as { crossOrigin?: unknown } | null)?.crossOrigin === true;
  } catch {
    return true;
  }
}

/**
 * Why a verified registration is still refused, beyond the library's own checks: a ceremony framed by
 * another site, `id`/`rawId` that are not the credential id the authenticator attested (the stored id
 * would never match a sign-in), or a public key that is not a usable key. Undefined when well formed.
 */
export function registrationDefect(
  credential: RegistrationResponseDto,
  attested: AttestedCredential,
): string | undefined {
  if (ranCrossOrigin(credential.response.clientDataJSON)) return 'cross_origin';
  if (credential.id !== attested.id || credential.rawId !== attested.id) return 'credential_id_mismatch';
  if (!isUsablePublicKey(attested.publicKey)) return 'malformed_public_key';
  return undefined;
}
