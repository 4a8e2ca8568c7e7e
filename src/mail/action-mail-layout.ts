import { escapeHtml } from '../common/html-escape';

/** A mail that asks its reader to open one link: the same words as plain text and as HTML. */
export interface ActionMailContent {
  appName: string;
  recipientName: string;
  intro: string;
  actionLabel: string;
  link: string;
  closing: string;
}

/** Every value is escaped in the HTML: names are user input, and the rest should never be trusted more. */
export function renderActionMail(content: ActionMailContent): { text: string; html: string } {
  const text = [
    `Hello ${content.recipientName},`,
    '',
    content.intro,
    '',
    content.link,
    '',
    content.closing,
    '',
    `-- ${content.appName}`,
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: sans-serif; line-height: 1.5">',
    `<p>Hello ${e(content.recipientName)},</p>`,
    `<p>${e(content.intro)}</p>`,
    `<p><a href="${e(content.link)}">${e(content.actionLabel)}</a></p>`,
    `<p>If the button does not work, copy this address into your browser:<br>${e(content.link)}</p>`,
    `<p>${e(content.closing)}</p>`,
    `<p>&mdash; ${e(content.appName)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { text, html };
}
