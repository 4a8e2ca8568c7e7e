import { chromiumExecutable } from './chromium';

/**
 * Runs once before the test workers start. The browser packed in @sparticuz/chromium is unpacked here,
 * once: two workers unpacking it into the same place at the same moment corrupt each other's copy.
 * The workers inherit CHROMIUM_PATH from this process.
 */
export default async function globalSetup(): Promise<void> {
  process.env.CHROMIUM_PATH = await chromiumExecutable();
}
