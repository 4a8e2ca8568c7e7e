import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuthConfig } from '../config/auth.config';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The key id written beside every ciphertext. */
export const CURRENT_KEY_VERSION = 1;

/** Thrown when a ciphertext was altered, belongs to another user, or names a key this instance lacks. */
export class TotpSecretUnreadable extends Error {
  constructor(reason: string) {
    super(`The TOTP secret cannot be decrypted: ${reason}`);
    this.name = 'TotpSecretUnreadable';
  }
}

/** HKDF-SHA256 of SECRET_KEY with a purpose label: this key opens TOTP secrets and nothing else. */
export function deriveTotpKey(secretKey: string, version: number): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `clickbit/mfa/totp-secret/v${version}`, 32));
}

/**
 * TOTP secrets at rest: AES-256-GCM with a key derived from SECRET_KEY, the user id bound as additional
 * data (a row copied onto another user does not decrypt), and the key version stored with the row.
 *
 * Key rotation: version 1 is derived from the current SECRET_KEY. To rotate SECRET_KEY, keep the old
 * value readable (add it here as version N, derived from the old key, and derive version N+1 from the
 * new one as CURRENT_KEY_VERSION); rows keep their key_version, are read with their own key, and are
 * re-encrypted under the current version by a one-off job (or the next setup). Once no row names the
 * old version, drop it. A version number is never reused for another key.
 */
@Injectable()
export class TotpSecretCipher {
  private readonly keys = new Map<number, Buffer>();

  constructor(private readonly config: AuthConfig) {}

  encrypt(secret: string, userId: string): { ciphertext: Buffer; keyVersion: number } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(CURRENT_KEY_VERSION), iv);
    cipher.setAAD(this.additionalData(userId, CURRENT_KEY_VERSION));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]), keyVersion: CURRENT_KEY_VERSION };
  }

  decrypt(ciphertext: Buffer, keyVersion: number, userId: string): string {
    if (ciphertext.length <= IV_BYTES + TAG_BYTES) throw new TotpSecretUnreadable('too short');
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyVersion), ciphertext.subarray(0, IV_BYTES));
    decipher.setAAD(this.additionalData(userId, keyVersion));
    decipher.setAuthTag(ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(ciphertext.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new TotpSecretUnreadable('authentication failed');
    }
  }

  /** Derived on first use: a command that only deletes factors (the seed) needs no SECRET_KEY. */
  private key(version: number): Buffer {
    if (version !== CURRENT_KEY_VERSION) throw new TotpSecretUnreadable(`unknown key version ${version}`);
    let key = this.keys.get(version);
    if (!key) {
      key = deriveTotpKey(this.config.secretKey as string, version);
      this.keys.set(version, key);
    }
    return key;
  }

  private additionalData(userId: string, version: number): Buffer {
    return Buffer.from(`totp:${userId}:v${version}`, 'utf8');
  }
}
