// SIGTERM with a dashboard connected: the page says the server is restarting and the process
// exits cleanly instead of waiting on the open event stream.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

describe('shutdown', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('tells the open dashboard it is restarting, then exits 0', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="live-indicator"][data-state="live"]');
    const code = await server.terminate();
    expect(code).toBe(0);
    await page.waitForSelector('[data-testid="live-indicator"][data-state="restarting"]');
    expect(server.output()).toContain('shutting down');
    expect(server.output()).not.toContain('exiting anyway');
  });
});
