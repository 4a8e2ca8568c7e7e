import { deviceName } from './device-name';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CHROME_WINDOWS_NEWER = CHROME_WINDOWS.replace('131.0.0.0', '133.0.6943.54');
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('deviceName', () => {
  it('names the browser and operating-system family', () => {
    expect(deviceName(CHROME_WINDOWS)).toBe('Chrome on Windows');
    expect(deviceName(FIREFOX_LINUX)).toBe('Firefox on Linux');
    expect(deviceName(SAFARI_IPHONE)).toBe('Safari on iOS');
  });

  it('leaves versions out, so that a browser update is the same device', () => {
    expect(deviceName(CHROME_WINDOWS_NEWER)).toBe(deviceName(CHROME_WINDOWS));
  });

  it('says what it cannot tell', () => {
    expect(deviceName(undefined)).toBe('an unknown device');
    expect(deviceName('')).toBe('an unknown device');
    expect(deviceName('curl/8.5.0')).toBe('an unknown browser on an unknown system');
  });

  it('stays within the column for any user agent', () => {
    expect(deviceName(`Mozilla/5.0 (${'x'.repeat(5000)})`).length).toBeLessThanOrEqual(100);
  });
});
