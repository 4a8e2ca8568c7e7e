import { escapeHtml } from '../../common/html-escape';
import { ACTION_PAGE_SCRIPT, ACTION_PAGE_STYLE } from './action-page-assets';

/** An input of an action page; with `confirms`, a second entry of that field, checked and never sent. */
export interface ActionPageField {
  label: string;
  /** The JSON field it is sent as; absent for a confirmation. */
  name?: string;
  confirms?: string;
  type: 'password' | 'text';
  autocomplete: string;
}

/**
 * A page a mailed link opens (`GET /<path>?token=…`), which completes the step by posting the token
 * (and its fields) to `endpoint` when the person presses the button. One entry in ACTION_PAGES and
 * one route in ActionPagesController make a new one.
 */
export interface ActionPage {
  /** The link's path, without its leading slash: `verify-email`. */
  path: string;
  /** The JSON route that completes the step, relative to the page: `user/auth/verify-email`. */
  endpoint: string;
  title: string;
  intro: string;
  fields: ActionPageField[];
  button: string;
  /** Shown in place of the form once the step succeeded. */
  done: string;
  /** The OpenAPI operation's summary. */
  summary: string;
}

function fieldHtml(field: ActionPageField, index: number): string {
  const id = `field-${index}`;
  const attributes = [
    `id="${id}"`,
    `type="${field.type}"`,
    `autocomplete="${escapeHtml(field.autocomplete)}"`,
    'required',
    ...(field.name ? [`name="${escapeHtml(field.name)}"`] : []),
    ...(field.confirms ? [`data-confirms="${escapeHtml(field.confirms)}"`] : []),
  ];
  return `<label for="${id}">${escapeHtml(field.label)}</label><input ${attributes.join(' ')}>`;
}

/**
 * The whole page, self-contained: inline style and script (allowed by hash in ACTION_PAGE_POLICY), an
 * empty data: icon, nothing from any server. It never holds the token: the script reads it from the
 * address, so nothing the link carries is written into the HTML.
 */
export function renderActionPage(page: ActionPage, appName: string): string {
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">' +
    `<title>${escapeHtml(page.title)} - ${escapeHtml(appName)}</title>` +
    `<link rel="icon" href="data:,"><style>${ACTION_PAGE_STYLE}</style></head><body><main>` +
    `<h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.intro)}</p>` +
    `<form id="action" method="post" data-endpoint="${escapeHtml(page.endpoint)}" data-done="${escapeHtml(page.done)}">` +
    page.fields.map(fieldHtml).join('') +
    `<button type="submit">${escapeHtml(page.button)}</button></form>` +
    '<p id="status" role="status" aria-live="polite"></p>' +
    `</main><script>${ACTION_PAGE_SCRIPT}</script></body></html>`
  );
}
