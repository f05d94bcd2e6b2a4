import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { startServerProcess, type ServerProcess } from './server.js';

/**
 * The built DiReturn server as a process of its own and Debian's Chromium, shared by the tests of
 * one file and stopped after them.
 */
export function serverAndBrowser(): { readonly server: ServerProcess; readonly browser: Browser } {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
  };
}
