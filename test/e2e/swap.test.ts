// Switching the served model from the dashboard, as an owner would: click Switch, confirm,
// watch the swap panel's progress, and see the card become the loaded model.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelsResponse } from '../../src/common/api.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

describe('model swap from the dashboard', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess({ SIM_SPEED: '0.1' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('switches to another model with live progress, and the card becomes the loaded one', async () => {
    const models = (await (await fetch(`${server.url}/api/models`)).json()) as ModelsResponse;
    const target = models.models.find((m) => m.mode === 'solo' && !m.loaded && m.warnings.length === 0)!;
    await page.goto(server.url);
    await page.getByTestId('tab-llm').click();
    const card = page.getByTestId(`model-card-${target.key}`);
    await card.waitFor();
    expect(await card.getAttribute('data-loaded')).toBe('false');

    await page.getByTestId(`switch-${target.key}`).click();
    await page.getByTestId('confirm-action').click();

    const panel = page.getByTestId('swap-panel');
    await panel.waitFor({ timeout: 15_000 });
    await page.getByTestId('swap-progress').waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="swap-panel"]')?.getAttribute('data-state') === 'loading',
      undefined,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: join(ARTIFACTS, 'swap-loading.png'), fullPage: true });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="swap-panel"]')?.getAttribute('data-state') === 'ready',
      undefined,
      { timeout: 90_000 },
    );
    await page.waitForFunction(
      (key) =>
        document.querySelector(`[data-testid="model-card-${key}"]`)?.getAttribute('data-loaded') === 'true',
      target.key,
      { timeout: 30_000 },
    );
    expect(await page.getByTestId('swap-log').textContent()).toMatch(
      /vllm serve|Application startup complete/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'swap-ready.png'), fullPage: true });
  });
});
