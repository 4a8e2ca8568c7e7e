import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The keys the cipher derives from: SECRET_KEY, and the earlier values in SECRET_KEY_PREVIOUS that are
 * still read. Provided by config/ (AuthConfig has this shape), so common/ needs nothing from above.
 */
export abstract class SecretKeys {
  abstract readonly secretKey?: string;
  abstract readonly secretKeyPrevious: readonly string[];
}

/** Thrown when a ciphertext was altered, belongs to another row, or was sealed under a key no longer configured. */
export class SecretUnreadable extends Error {
  constructor(reason: string) {
    super(`The stored secret cannot be decrypted: ${reason}`);
    this.name = 'SecretUnreadable';
  }
}

/** What was opened, and whether it was sealed under a previous SECRET_KEY (so it is worth sealing again). */
export interface OpenedSecret {
  plaintext: Buffer;
  underPreviousKey: boolean;
}

/**
 * Secrets at rest (TOTP secrets, private signing keys): AES-256-GCM under a key derived from SECRET_KEY
 * by HKDF-SHA256 with a per-purpose label (a key that opens TOTP secrets opens nothing else), with the
 * row's identity as additional data (a ciphertext copied onto another row does not open). Layout:
 * 12-byte IV, 16-byte tag, body. Opening tries SECRET_KEY, then each SECRET_KEY_PREVIOUS in order:
 * GCM's tag says which key sealed it, so rows need no key column to survive a SECRET_KEY rotation.
 */
@Injectable()
export class SecretCipher {
  private readonly derived = new Map<string, Buffer>();

  constructor(private readonly keys: SecretKeys) {}

  seal(label: string, plaintext: Buffer | string, additionalData: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.derive(this.currentKey(), label), iv);
    cipher.setAAD(Buffer.from(additionalData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  open(label: string, ciphertext: Buffer, additionalData: string): OpenedSecret {
    if (ciphertext.length <= IV_BYTES + TAG_BYTES) throw new SecretUnreadable('too short');
    const [current, ...previous] = [this.currentKey(), ...this.keys.secretKeyPrevious];
    const underCurrent = this.tryOpen(current, label, ciphertext, additionalData);
    if (underCurrent) return { plaintext: underCurrent, underPreviousKey: false };
    for (const key of previous) {
      const plaintext = this.tryOpen(key, label, ciphertext, additionalData);
      if (plaintext) return { plaintext, underPreviousKey: true };
    }
    throw new SecretUnreadable(
      previous.length
        ? `no configured key opens it (SECRET_KEY and ${previous.length} previous)`
        : 'authentication failed',
    );
  }

  private tryOpen(secretKey: string, label: string, ciphertext: Buffer, additionalData: string): Buffer | undefined {
    const decipher = createDecipheriv('aes-256-gcm', this.derive(secretKey, label), ciphertext.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(additionalData, 'utf8'));
    decipher.setAuthTag(ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(ciphertext.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      return undefined;
    }
  }

  /** Read on use: a command that never touches a secret (the seed) needs no SECRET_KEY. */
  private currentKey(): string {
    const key = this.keys.secretKey;
    if (!key) throw new SecretUnreadable('SECRET_KEY is not set');
    return key;
  }

  private derive(secretKey: string, label: string): Buffer {
    const id = `${label}\u0000${secretKey}`;
    let key = this.derived.get(id);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), label, 32));
      this.derived.set(id, key);
    }
    return key;
  }
}
