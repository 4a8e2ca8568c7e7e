import { createHash } from 'node:crypto';
import { ActionPage, renderActionPage } from './action-page';
import { ACTION_PAGE_POLICY, ACTION_PAGE_SCRIPT, ACTION_PAGE_STYLE } from './action-page-assets';
import { RESET_PASSWORD_PAGE, VERIFY_EMAIL_PAGE } from './action-pages';

const hashOf = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('renderActionPage', () => {
  it('holds the one script and style whose hashes the policy allows, and nothing else that runs', () => {
    for (const page of [VERIFY_EMAIL_PAGE, RESET_PASSWORD_PAGE]) {
      const html = renderActionPage(page, 'Acme');
      expect(html.split(`<script>${ACTION_PAGE_SCRIPT}</script>`)).toHaveLength(2);
      expect(html.match(/<script/g)).toHaveLength(1);
      expect(html).toContain(`<style>${ACTION_PAGE_STYLE}</style>`);
      expect(html).not.toMatch(/\son[a-z]+=/);
    }
    expect(ACTION_PAGE_POLICY).toContain(`script-src ${hashOf(ACTION_PAGE_SCRIPT)};`);
    expect(ACTION_PAGE_POLICY).toContain(`style-src ${hashOf(ACTION_PAGE_STYLE)};`);
  });

  it('escapes every text it is given, the application name included', () => {
    const page: ActionPage = {
      ...VERIFY_EMAIL_PAGE,
      title: '<b>Title</b>',
      intro: 'A & B',
      done: '"done"',
      fields: [{ label: '<i>', name: 'x"y', type: 'text', autocomplete: 'off' }],
    };
    const html = renderActionPage(page, '<script>alert(1)</script>');
    expect(html).toContain('&lt;b&gt;Title&lt;/b&gt; - &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<p>A &amp; B</p>');
    expect(html).toContain('data-done="&quot;done&quot;"');
    expect(html).toContain('<label for="field-0">&lt;i&gt;</label>');
    expect(html).toContain('name="x&quot;y"');
  });

  it('sends named fields only: a confirmation names the field it repeats and is never sent', () => {
    const html = renderActionPage(RESET_PASSWORD_PAGE, 'Acme');
    expect(html.match(/name="newPassword"/g)).toHaveLength(1);
    expect(html).toContain('data-confirms="newPassword"');
    expect(html).toContain('data-endpoint="user/auth/reset-password"');
  });
});
