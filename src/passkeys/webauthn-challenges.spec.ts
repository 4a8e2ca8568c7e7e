import { userHandleOf, userHandleText } from './user-handle';
import { challengeOf } from './webauthn-challenges';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('challengeOf', () => {
  it('reads the challenge a credential answers from its clientDataJSON', () => {
    expect(challengeOf(encode({ type: 'webauthn.get', challenge: 'abc_-123', origin: 'https://a.example' }))).toBe(
      'abc_-123',
    );
  });

  it('finds none in unreadable, non-object, empty or oversized client data', () => {
    expect(challengeOf('%%%')).toBeUndefined();
    expect(challengeOf(encode(null))).toBeUndefined();
    expect(challengeOf(encode(['challenge']))).toBeUndefined();
    expect(challengeOf(encode({ challenge: '' }))).toBeUndefined();
    expect(challengeOf(encode({ challenge: 42 }))).toBeUndefined();
    expect(challengeOf(encode({ challenge: 'x'.repeat(65) }))).toBeUndefined();
  });

  it('finds none that is not base64url text as issued: a NUL, spaces, quotes, other characters', () => {
    for (const challenge of ['\u0000', 'abc\u0000', 'a b', "a'b", 'a.b', 'é', '\ud800']) {
      expect(challengeOf(encode({ challenge }))).toBeUndefined();
    }
  });
});

describe('user handles', () => {
  it('are the 16 bytes of the account id, the same in the options and in an assertion', () => {
    const id = '0b6c3f55-7c3c-4c8e-9d8a-3b2f0c1e5a77';
    expect(Buffer.from(userHandleOf(id)).toString('hex')).toBe('0b6c3f557c3c4c8e9d8a3b2f0c1e5a77');
    expect(userHandleOf(id)).toHaveLength(16);
    expect(Buffer.from(userHandleText(id), 'base64url').toString('hex')).toBe('0b6c3f557c3c4c8e9d8a3b2f0c1e5a77');
  });
});
