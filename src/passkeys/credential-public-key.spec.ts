import {
  coseKey,
  ed25519Members,
  junkPublicKeys,
  p256Members,
  rsaMembers,
  withMembers,
} from '../../test/support/cose-keys';
import { isUsablePublicKey } from './credential-public-key';

describe('isUsablePublicKey', () => {
  it('accepts ES256, EdDSA and RS256 (2048 bits) keys', () => {
    expect(isUsablePublicKey(coseKey(p256Members()))).toBe(true);
    expect(isUsablePublicKey(coseKey(ed25519Members()))).toBe(true);
    expect(isUsablePublicKey(coseKey(rsaMembers(2048)))).toBe(true);
  });

  it.each(Object.entries(junkPublicKeys()))('refuses %s', (_name, key) => {
    expect(isUsablePublicKey(key)).toBe(false);
  });

  it('refuses an algorithm that does not match the key type', () => {
    expect(isUsablePublicKey(coseKey(withMembers(p256Members(), [[3, -257]])))).toBe(false);
    expect(isUsablePublicKey(coseKey(withMembers(ed25519Members(), [[3, -7]])))).toBe(false);
  });

  it('refuses an unsupported algorithm and bytes that are no COSE key', () => {
    expect(isUsablePublicKey(coseKey(withMembers(p256Members(), [[3, -35]])))).toBe(false);
    expect(isUsablePublicKey(new Uint8Array([0xff, 0x00, 0x13]))).toBe(false);
  });
});
