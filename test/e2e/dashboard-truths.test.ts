// What the dashboard says must be true: the vLLM state with the head node down (never "idle"),
// Switch refused while someone else holds the GPU lock (and why), the endpoint card collapsed at
// first, the consumer guide one click away, and sparklines that say their scale.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelsResponse } from '../../src/common/api.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const attr = (page: Page, testId: string, name: string) =>
  page.getByTestId(testId).getAttribute(name, { timeout: 30_000 });

describe('dashboard truths', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const models = async () =>
    ((await (await fetch(`${server.url}/api/models`)).json()) as ModelsResponse).models;

  it('starts with the endpoint card collapsed, expands on click, and links the consumer guide', async () => {
    await page.goto(server.url);
    const card = page.getByTestId('endpoint-card');
    await card.waitFor();
    expect(await card.getAttribute('data-collapsed')).toBe('true');
    expect(await page.getByTestId('endpoint-base-url').count()).toBe(0);

    await page.getByTestId('endpoint-toggle').click();
    expect(await card.getAttribute('data-collapsed')).toBe('false');
    expect(await page.getByTestId('endpoint-toggle').getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('endpoint-base-url').waitFor();

    const link = page.getByTestId('consumer-guide-link');
    expect(await link.textContent()).toBe('CONSUMERS.md');
    const href = await link.getAttribute('href');
    const guide = await context.newPage();
    const res = await guide.goto(new URL(href!, server.url).toString());
    expect(res?.status()).toBe(200);
    expect(await guide.locator('body').textContent()).toMatch(/Limits/);
    await guide.close();
  });

  it('shows the scale of every sparkline', async () => {
    const scales = page.locator('[data-testid^="chart-scale-spark1-"]');
    await scales.first().waitFor();
    const texts = await scales.allTextContents();
    expect(texts).toHaveLength(4);
    for (const t of texts) expect(t).toMatch(/scale 0–\d+ (%|°C)/);
    expect(texts.join(' ')).toContain('0–100 °C');
  });

  it('never says "idle" with the head node down, in the top bar, endpoint card or LLM tab', async () => {
    await page.getByTestId('tab-llm').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="vllm-chip"]')?.getAttribute('data-state') === 'loaded',
      undefined,
      { timeout: 30_000 },
    );
    // Every text the chip shows from here on, however briefly.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { chipTexts: string[] }).chipTexts = seen;
      const record = () => seen.push(document.querySelector('[data-testid="vllm-chip"]')?.textContent ?? '');
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    try {
      expect((await fetch(`${server.url}/api/sim/nodes/spark1/down`, { method: 'POST' })).status).toBe(200);
      await page.waitForFunction(
        () =>
          ['unreachable', 'unknown'].includes(
            document.querySelector('[data-testid="vllm-chip"]')?.getAttribute('data-state') ?? '',
          ),
        undefined,
        { timeout: 30_000 },
      );
      expect(await page.getByTestId('vllm-chip').textContent()).not.toMatch(/idle/);
      expect(await page.getByTestId('endpoint-model').textContent()).not.toMatch(/No model loaded|idle/i);
      expect(await attr(page, 'llm-vllm-state', 'data-state')).toMatch(/^(unreachable|unknown)$/);
      expect(await page.getByTestId('llm-vllm-state').textContent()).toMatch(/unknown/);
      expect(await page.locator('[data-testid^="card-state-"]').count()).toBe(0);
      // Solo models run on the head: Switch says why it cannot start there.
      const solo = (await models()).find((m) => m.mode === 'solo')!;
      expect(await page.getByTestId(`switch-${solo.key}`).isDisabled()).toBe(true);
      expect(await page.getByTestId(`switch-why-${solo.key}`).textContent()).toMatch(/spark1 unreachable/);
      await page.screenshot({ path: join(ARTIFACTS, 'head-down.png'), fullPage: true });

      // Everything the chip said while the head was down (after it is back, "idle" may be true).
      const whileDown = await page.evaluate(() => [
        ...(window as unknown as { chipTexts: string[] }).chipTexts,
      ]);
      expect(whileDown.length).toBeGreaterThan(0);
      expect(whileDown.filter((t) => /idle/.test(t))).toEqual([]);
    } finally {
      // Back up whatever happened, so the next test starts from a healthy cluster.
      await fetch(`${server.url}/api/sim/nodes/spark1/up`, { method: 'POST' });
    }
    await page.waitForFunction(
      () => document.querySelector('[data-testid="vllm-chip"]')?.getAttribute('data-state') === 'loaded',
      undefined,
      { timeout: 60_000 },
    );
  });

  it('disables Switch with the reason while another holder has the GPU lock, and enables it on release', async () => {
    const target = (await models()).find((m) => !m.loaded && m.mode === 'solo')!;
    const button = page.getByTestId(`switch-${target.key}`);
    await page.waitForFunction(
      (key) => !(document.querySelector(`[data-testid="switch-${key}"]`) as HTMLButtonElement).disabled,
      target.key,
      { timeout: 30_000 },
    );
    const lock = await fetch(`${server.url}/api/swap/lock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ holder: 'nightly-eval', ttl_s: 600, reason: 'evaluation run' }),
    });
    expect(lock.status).toBe(200);
    await page.waitForFunction(
      (key) => (document.querySelector(`[data-testid="switch-${key}"]`) as HTMLButtonElement).disabled,
      target.key,
      { timeout: 15_000 },
    );
    expect(await button.getAttribute('title')).toMatch(/locked by nightly-eval \(evaluation run\) until/);
    expect(await page.getByTestId(`switch-why-${target.key}`).textContent()).toBe(
      'GPU locked by nightly-eval',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'switch-locked.png'), fullPage: true });

    const release = await fetch(`${server.url}/api/swap/lock?holder=nightly-eval`, { method: 'DELETE' });
    expect(release.status).toBe(200);
    await page.waitForFunction(
      (key) => !(document.querySelector(`[data-testid="switch-${key}"]`) as HTMLButtonElement).disabled,
      target.key,
      { timeout: 15_000 },
    );
    expect(await page.getByTestId(`switch-why-${target.key}`).count()).toBe(0);
  });
});
