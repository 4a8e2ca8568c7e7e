import { Injectable } from '@nestjs/common';

/** What one table's owner did when asked to seal its secrets again under SECRET_KEY. */
export interface ReencryptionResult {
  rewritten: number;
  unreadable: number;
}

/** A table holding secrets sealed by SecretCipher; its owner (the table's one writer) does the rewriting. */
export interface SealedSecretStore {
  readonly name: string;
  reencryptAll(): Promise<ReencryptionResult>;
}

/**
 * Every table of sealed secrets, registered by its owner at module init: `npm run db -- reencrypt`
 * walks them all without common/ knowing the features above it.
 */
@Injectable()
export class SealedSecretStores {
  private readonly stores: SealedSecretStore[] = [];

  register(store: SealedSecretStore): void {
    if (!this.stores.includes(store)) this.stores.push(store);
  }

  /** Seals every readable secret again under SECRET_KEY; one line per table; throws if any stayed unreadable. */
  async runReencrypt(print: (line: string) => void): Promise<void> {
    let unreadable = 0;
    for (const store of this.stores) {
      const result = await store.reencryptAll();
      unreadable += result.unreadable;
      print(
        `${store.name}: ${result.rewritten} re-encrypted under SECRET_KEY` +
          (result.unreadable ? `, ${result.unreadable} unreadable with every configured key` : ''),
      );
    }
    if (unreadable > 0) {
      throw new Error(
        `${unreadable} secret(s) stayed unreadable: add the SECRET_KEY they were stored under to SECRET_KEY_PREVIOUS`,
      );
    }
  }
}
