import { createHash } from 'node:crypto';

/**
 * The one script of every action page. On load it only reads the token from the address; the step is
 * taken when the person presses the button (mail scanners open links, and must not spend the token).
 * It posts the token and the form's named fields as JSON to the form's data-endpoint, relative to the
 * page, so that a service behind a path prefix (APP_URL=https://example.com/auth) is still reached.
 * A field with data-confirms must equal the field it names; it is never sent.
 */
export const ACTION_PAGE_SCRIPT = `(() => {
  const form = document.getElementById('action');
  const status = document.getElementById('status');
  const button = form.querySelector('button');
  const token = new URLSearchParams(location.search).get('token');
  const say = (text) => { status.textContent = text; };
  if (!token) {
    button.disabled = true;
    say('This link has no token: open the link from the mail as it is, or ask for a new one.');
    return;
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { token };
    for (const field of form.querySelectorAll('input')) {
      const twin = field.dataset.confirms && form.elements.namedItem(field.dataset.confirms);
      if (twin && twin.value !== field.value) return say('The two entries differ: type the same in both.');
      if (field.name) body[field.name] = field.value;
    }
    button.disabled = true;
    say('One moment...');
    try {
      const response = await fetch(form.dataset.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
      if (response.ok) {
        form.hidden = true;
        return say(form.dataset.done);
      }
      const problem = await response.json().catch(() => ({}));
      const reasons = (problem.errors || []).map((error) => error.message);
      say(reasons.length > 0 ? reasons.join(' ') : problem.detail || 'That did not work (' + response.status + ').');
    } catch {
      say('The service could not be reached; try again in a moment.');
    }
    button.disabled = false;
  });
})();`;

/** The pages' one style sheet, inline like the script (nothing is loaded from anywhere). */
export const ACTION_PAGE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:3rem 1rem;background:#f6f7f9;color:#1b1f24}' +
  'main{max-width:26rem;margin:auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px #0002}' +
  'h1{font-size:1.4rem;margin-top:0}label{display:block;margin:1rem 0 .25rem}' +
  'input{box-sizing:border-box;width:100%;padding:.5rem;font:inherit}' +
  'button{margin-top:1.25rem;padding:.6rem 1.2rem;font:inherit;cursor:pointer}#status{min-height:1.5em}';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The pages' Content-Security-Policy: their own inline script and style by hash and nothing else, no
 * resource from anywhere, calls to this origin only, no native form submission (a password must never
 * go into a URL should the script not run), no framing.
 */
export const ACTION_PAGE_POLICY = [
  "default-src 'none'",
  `script-src ${sha256(ACTION_PAGE_SCRIPT)}`,
  `style-src ${sha256(ACTION_PAGE_STYLE)}`,
  "connect-src 'self'",
  // The empty data: icon, so that the browser asks for no /favicon.ico.
  'img-src data:',
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');
