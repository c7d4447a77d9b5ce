// One dashboard per e2e file: `npm start`'s built server on a fresh simulated cluster and a page in
// Debian's Chromium, opened in beforeAll and closed in afterAll (browser first, so no page keeps
// a request to a stopped server open).
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface Dashboard {
  server: ServerProcess;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function openDashboard(env: Record<string, string> = {}): Promise<Dashboard> {
  const server = await startServerProcess(env);
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const opened = browser;
    return {
      server,
      browser: opened,
      page,
      close: async () => {
        await opened.close();
        await server.stop();
      },
    };
  } catch (e) {
    // A browser that failed to start must not leave the server process running.
    await browser?.close();
    await server.stop();
    throw e;
  }
}
