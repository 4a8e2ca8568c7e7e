import { ReencryptionResult, SealedSecretStore, SealedSecretStores } from './sealed-secret-stores';

function store(name: string, result: ReencryptionResult): SealedSecretStore & { calls: number } {
  return {
    name,
    calls: 0,
    reencryptAll() {
      this.calls += 1;
      return Promise.resolve(result);
    },
  };
}

describe('SealedSecretStores', () => {
  it('re-encrypts every registered table once, one line each', async () => {
    const stores = new SealedSecretStores();
    const totp = store('totp_factors', { rewritten: 2, unreadable: 0 });
    const keys = store('signing_keys', { rewritten: 1, unreadable: 0 });
    stores.register(totp);
    stores.register(keys);
    stores.register(totp);
    const lines: string[] = [];
    await stores.runReencrypt((line) => lines.push(line));
    expect(lines).toEqual([
      'totp_factors: 2 re-encrypted under SECRET_KEY',
      'signing_keys: 1 re-encrypted under SECRET_KEY',
    ]);
    expect([totp.calls, keys.calls]).toEqual([1, 1]);
  });

  it('fails naming the fix when a table kept secrets no configured key opens, after doing the rest', async () => {
    const stores = new SealedSecretStores();
    const later = store('signing_keys', { rewritten: 0, unreadable: 0 });
    stores.register(store('totp_factors', { rewritten: 1, unreadable: 3 }));
    stores.register(later);
    const lines: string[] = [];
    await expect(stores.runReencrypt((line) => lines.push(line))).rejects.toThrow(
      /3 secret\(s\) stayed unreadable: add the SECRET_KEY they were stored under to SECRET_KEY_PREVIOUS/,
    );
    expect(lines[0]).toBe('totp_factors: 1 re-encrypted under SECRET_KEY, 3 unreadable with every configured key');
    expect(later.calls).toBe(1);
  });
});
