import Bowser from 'bowser';

/** Longer user agents are cut before parsing: the family names sit near the start. */
const MAX_USER_AGENT = 512;

/**
 * The browser and operating-system family a user agent names ("Chrome on Windows"), as a person would
 * recognise their device in a mail. Versions are left out, so an update is not a new device.
 */
export function deviceName(userAgent: string | undefined): string {
  if (!userAgent) return 'an unknown device';
  const parser = Bowser.getParser(userAgent.slice(0, MAX_USER_AGENT));
  const browser = parser.getBrowserName() || 'an unknown browser';
  const os = parser.getOSName() || 'an unknown system';
  return `${browser} on ${os}`.slice(0, 100);
}
