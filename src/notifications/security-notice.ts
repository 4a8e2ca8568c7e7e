/** A change the account's owner is told about, with what the secure-account step needs to undo it. */
export type SecurityNotice =
  | { event: 'passkey_added'; passkeyId: string; passkeyName: string }
  | { event: 'passkey_removed'; passkeyName: string }
  | { event: 'totp_enabled'; enabledAt: Date }
  | { event: 'totp_disabled' }
  | { event: 'recovery_codes_regenerated' }
  | { event: 'password_changed' }
  | { event: 'password_reset' }
  | { event: 'second_factors_reset' }
  | { event: 'new_device'; device: string }
  | { event: 'identity_linked'; identityId: string; providerName: string }
  | { event: 'identity_unlinked'; providerName: string }
  | { event: 'account_banned'; reason: string; until: Date | null }
  | { event: 'impersonation_started'; reason: string; until: Date };

export type SecurityEvent = SecurityNotice['event'];

export interface NoticeWording {
  subject: string;
  /** What happened, as one sentence. */
  what: string;
  /** The mail carries a secure-account link. */
  carriesLink: boolean;
  /** What following the link removes, besides ending every session. */
  removes?: string;
}

/** "2026-12-06 14:03 UTC", as the mails write times. */
export function utcMinute(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Subject and first sentence of each mail; additions, password changes and new devices carry the link. */
export function noticeWording(notice: SecurityNotice, appName: string): NoticeWording {
  switch (notice.event) {
    case 'passkey_added':
      return {
        subject: `A passkey was added to your ${appName} account`,
        what: `A passkey named "${notice.passkeyName}" was added to your account. It can sign in without your password.`,
        carriesLink: true,
        removes: 'removes this passkey',
      };
    case 'identity_linked':
      return {
        subject: `A sign-in with ${notice.providerName} was linked to your ${appName} account`,
        what: `Your ${notice.providerName} account was linked to your account. It can sign in without your password.`,
        carriesLink: true,
        removes: `unlinks ${notice.providerName}`,
      };
    case 'identity_unlinked':
      return {
        subject: `A sign-in with ${notice.providerName} was unlinked from your ${appName} account`,
        what: `Your ${notice.providerName} account no longer signs in to your account.`,
        carriesLink: false,
      };
    case 'passkey_removed':
      return {
        subject: `A passkey was removed from your ${appName} account`,
        what: `The passkey named "${notice.passkeyName}" was removed from your account.`,
        carriesLink: false,
      };
    case 'totp_enabled':
      return {
        subject: `Two-step sign-in was turned on for your ${appName} account`,
        what: 'An authenticator app was set up as the second step of signing in to your account.',
        carriesLink: true,
        removes: 'removes this authenticator app and its recovery codes',
      };
    case 'totp_disabled':
      return {
        subject: `Two-step sign-in was turned off for your ${appName} account`,
        what: 'The authenticator app and the recovery codes of your account were removed.',
        carriesLink: false,
      };
    case 'recovery_codes_regenerated':
      return {
        subject: `New recovery codes were made for your ${appName} account`,
        what: 'A new set of recovery codes was made for your account; the earlier codes no longer work.',
        carriesLink: false,
      };
    case 'password_changed':
      return {
        subject: `The password of your ${appName} account was changed`,
        what: 'The password of your account was changed.',
        carriesLink: true,
      };
    case 'password_reset':
      return {
        subject: `The password of your ${appName} account was reset`,
        what: 'The password of your account was reset with a link sent to this address.',
        carriesLink: true,
      };
    case 'second_factors_reset':
      return {
        subject: `An administrator removed the second factors of your ${appName} account`,
        what: 'An administrator removed the authenticator app, recovery codes and passkeys of your account.',
        carriesLink: false,
      };
    case 'account_banned':
      return {
        subject: `Your ${appName} account was banned by an administrator`,
        what:
          `An administrator banned your account ${notice.until ? `until ${utcMinute(notice.until)}` : 'until further notice'}` +
          `, and every session of it ended. The reason given: ${notice.reason}`,
        carriesLink: false,
      };
    case 'impersonation_started':
      return {
        subject: `An administrator is signed in to your ${appName} account as you`,
        what:
          `An administrator signed in to your account as you, to support you, until ${utcMinute(notice.until)} at the ` +
          `latest; it is listed among your sessions, and you may end it there. The reason given: ${notice.reason}`,
        carriesLink: false,
      };
    case 'new_device':
      return {
        subject: `New sign-in to your ${appName} account from ${notice.device}`,
        what: `Your account was signed in to from ${notice.device}, a device not seen on it in the last 90 days.`,
        carriesLink: true,
      };
  }
}

/** The way in the event added, recorded on its secure-account token: the step removes it if it is still there. */
export function addedWayIn(notice: SecurityNotice): string | null {
  if (notice.event === 'passkey_added') return notice.passkeyId;
  if (notice.event === 'totp_enabled') return notice.enabledAt.toISOString();
  if (notice.event === 'identity_linked') return notice.identityId;
  return null;
}
