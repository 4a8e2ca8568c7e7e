/** The WebAuthn user handle of an account: its UUID's 16 bytes (stable, and no personal data). */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));
}

export function userHandleText(userId: string): string {
  return Buffer.from(userHandleOf(userId)).toString('base64url');
}
