import { renderActionMail } from './action-mail-layout';

describe('action mails', () => {
  const content = {
    appName: 'Acme & Co',
    recipientName: '<script>alert("x")</script>',
    intro: 'Open this link:',
    actionLabel: 'Confirm',
    link: 'https://app.example.com/verify-email?token=abc_-123',
    closing: 'Bye.',
  };

  it('escapes every value in the HTML part', () => {
    const { html } = renderActionMail(content);
    expect(html).toContain('<p>Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,</p>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&mdash; Acme &amp; Co');
    expect(html).toContain('<a href="https://app.example.com/verify-email?token=abc_-123">Confirm</a>');
  });

  it('keeps the plain text as written, with the link on a line of its own', () => {
    const { text } = renderActionMail(content);
    expect(text).toContain('Hello <script>alert("x")</script>,');
    expect(text.split('\n')).toContain(content.link);
  });
});
