import { escapeHtml } from '../common/html-escape';

export interface SecurityNotificationContent {
  appName: string;
  recipientName: string;
  what: string;
  /** "2026-12-06 14:03 UTC" */
  when: string;
  /** Who made the change, from where; an administrator is named as such, never by address or device. */
  by: { ipAddress: string; device: string } | 'administrator';
  /** The secure-account link and what following it does, for the events that carry one. */
  secureAccount?: { link: string; removes?: string };
}

const NO_LINK_ADVICE =
  'If this was not you, someone can sign in to your account: choose a new password at once with "Forgot ' +
  'password" (every session ends when it changes) and review your passkeys and second factors.';

function linkIntro(removes: string | undefined): string {
  return (
    'If this was not you, open this link within 7 days to secure your account: it ends every session, ' +
    `${removes ? `${removes}, ` : ''}and sends you a link to choose a new password.`
  );
}

/** The same words as plain text and as HTML; every value is escaped in the HTML (names are user input). */
export function renderSecurityNotification(content: SecurityNotificationContent): { text: string; html: string } {
  const by = content.by;
  const facts = [
    `When: ${content.when}`,
    ...(by === 'administrator' ? ['By: an administrator'] : [`IP address: ${by.ipAddress}`, `Device: ${by.device}`]),
  ];
  const advice = content.secureAccount ? linkIntro(content.secureAccount.removes) : NO_LINK_ADVICE;
  const settled = 'If this was you, there is nothing to do.';
  const text = [
    `Hello ${content.recipientName},`,
    '',
    content.what,
    '',
    ...facts,
    '',
    settled,
    '',
    advice,
    ...(content.secureAccount ? ['', content.secureAccount.link] : []),
    '',
    `-- ${content.appName}`,
    '',
  ].join('\n');
  const e = escapeHtml;
  const link = content.secureAccount?.link;
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: sans-serif; line-height: 1.5">',
    `<p>Hello ${e(content.recipientName)},</p>`,
    `<p>${e(content.what)}</p>`,
    `<p>${facts.map(e).join('<br>')}</p>`,
    `<p>${e(settled)}</p>`,
    `<p>${e(advice)}</p>`,
    ...(link
      ? [
          `<p><a href="${e(link)}">Secure my account</a></p>`,
          `<p>If the button does not work, copy this address into your browser:<br>${e(link)}</p>`,
        ]
      : []),
    `<p>&mdash; ${e(content.appName)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { text, html };
}
