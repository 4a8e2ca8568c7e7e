import { ActionPage } from './action-page';

export const VERIFY_EMAIL_PAGE: ActionPage = {
  path: 'verify-email',
  endpoint: 'user/auth/verify-email',
  title: 'Confirm your email address',
  intro: 'Press the button to confirm that this email address is yours.',
  fields: [],
  button: 'Confirm my email address',
  done: 'Your email address is confirmed. You can close this page.',
  summary: 'The page a verification link opens: confirms the address when its button is pressed',
};

export const RESET_PASSWORD_PAGE: ActionPage = {
  path: 'reset-password',
  endpoint: 'user/auth/reset-password',
  title: 'Choose a new password',
  intro: 'Choose a new password for your account. Every device signed in to it will be signed out.',
  fields: [
    { label: 'New password', name: 'newPassword', type: 'password', autocomplete: 'new-password' },
    { label: 'The new password again', confirms: 'newPassword', type: 'password', autocomplete: 'new-password' },
  ],
  button: 'Set the new password',
  done: 'Your password is changed. Sign in with it on each of your devices.',
  summary: 'The page a password-reset link opens: sets the new password when its button is pressed',
};

export const SECURE_ACCOUNT_PAGE: ActionPage = {
  path: 'secure-account',
  endpoint: 'user/auth/secure-account',
  title: 'Secure your account',
  intro:
    'A security notification reported a change to your account. If you did not make it, press the button: ' +
    'every device is signed out, the reported addition is removed, and a password-reset link is mailed to you.',
  fields: [],
  button: 'This was not me: secure my account',
  done: 'Your account is secured. Check your mailbox for the link to choose a new password.',
  summary: 'The page a security notification links to: secures the account when its button is pressed',
};
