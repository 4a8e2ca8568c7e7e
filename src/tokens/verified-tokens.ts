import { Injectable } from '@nestjs/common';
import { AuthConfig, isAsymmetric } from '../config/auth.config';
import { SigningKeys } from '../keys/signing-keys';
import { headerOf } from './token-header';

/** Enough for every token in use on a busy instance; at about 1 kB an entry, a few MB at most. */
export const VERIFIED_TOKENS_LIMIT = 10_000;

/** The key id of tokens signed with SECRET_KEY or SECRET_KEY_PREVIOUS (HS*): those hold for the process's life. */
const SECRET = '';

interface Entry {
  payload: unknown;
  kid: string;
  exp: number;
}

/**
 * Tokens whose signature jsonwebtoken has already verified, so a client's next request with the same token
 * skips the signature (ES256 verification costs about twice HS256's; HS* pays two HMACs, one to pick the
 * secret and jsonwebtoken's). Keyed by the whole token, so any altered byte misses; held until the token's
 * exp, bounded (least recently used goes first), and emptied of a key's tokens as soon as a re-read finds
 * that key retired past use or revoked (HS* secrets change only with a restart, which empties it). Only
 * the signature is cached: the user, version and session are checked on every request.
 */
@Injectable()
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();
  private revision = -1;

  constructor(
    private readonly config: AuthConfig,
    private readonly signingKeys: SigningKeys,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The verified payload of this exact token, if it was verified before and its key and exp still hold. */
  get(token: string): unknown {
    if (this.entries.size === 0) return undefined;
    if (this.revision !== this.signingKeys.revision) this.dropUnacceptedKeys();
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    // jsonwebtoken judges exp by the real time, so does the cache; the key by the service's Clock.
    if (entry.exp * 1000 <= Date.now() || !this.keyAccepted(entry.kid)) return undefined;
    this.entries.set(token, entry);
    return entry.payload;
  }

  /** After a full verification of a token that carries its kid and exp. */
  remember(token: string, payload: { exp: number }): void {
    // A token served from the cache comes back here too: it is already in (and was just moved last).
    if (this.entries.has(token)) return;
    const kid = isAsymmetric(this.config.algorithm) ? kidOf(token) : SECRET;
    if (kid === undefined) return;
    this.entries.set(token, { payload, kid, exp: payload.exp });
    if (this.entries.size > VERIFIED_TOKENS_LIMIT) this.entries.delete(this.entries.keys().next().value as string);
  }

  private keyAccepted(kid: string): boolean {
    return kid === SECRET || this.signingKeys.accepts(kid);
  }

  private dropUnacceptedKeys(): void {
    this.revision = this.signingKeys.revision;
    const accepted = new Map<string, boolean>();
    for (const [token, entry] of this.entries) {
      if (!accepted.has(entry.kid)) accepted.set(entry.kid, this.keyAccepted(entry.kid));
      if (!accepted.get(entry.kid)) this.entries.delete(token);
    }
  }
}

function kidOf(token: string): string | undefined {
  const kid = headerOf(token)?.kid;
  return typeof kid === 'string' && kid !== SECRET ? kid : undefined;
}
