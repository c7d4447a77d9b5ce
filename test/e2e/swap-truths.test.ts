// A switch as the owner lives it, far down the page in a browser whose time zone is not UTC: the
// swap panel comes into view, the top bar says "switching to …", the cancel dialog says what its
// buttons do, the state pill and the phase never disagree, and every time shown is local.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelsResponse, SwapInfo } from '../../src/common/api.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

// UTC+5:30: a local clock never reads like the UTC one.
const TIME_ZONE = 'Asia/Kolkata';
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const RUNNING = ['pending', 'stopping', 'launching', 'loading'];

describe('switching from far down the page', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess({ SIM_SPEED: '0.5' }), launchBrowser()]);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 700 },
      timezoneId: TIME_ZONE,
      locale: 'en-GB',
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const panelState = (state: string, timeout = 60_000) =>
    page.waitForFunction(
      (s) => document.querySelector('[data-testid="swap-panel"]')?.getAttribute('data-state') === s,
      state,
      { timeout },
    );

  it('brings the panel into view, says "switching to" on top, and the cancel dialog keeps or stops it', async () => {
    const models = (await (await fetch(`${server.url}/api/models`)).json()) as ModelsResponse;
    const target = models.models.find((m) => m.mode === 'solo' && !m.loaded && m.warnings.length === 0)!;
    await page.goto(server.url);
    await page.getByTestId('tab-llm').click();
    // Every (pill, phase) pair the panel ever shows, however briefly.
    await page.evaluate(() => {
      const pairs: [string, string | null][] = [];
      (window as unknown as { pairs: typeof pairs }).pairs = pairs;
      new MutationObserver(() => {
        const pill = document.querySelector('[data-testid="swap-state"]')?.textContent;
        const phase = document.querySelector('[data-testid="swap-phase"]')?.textContent ?? null;
        if (pill) pairs.push([pill, phase]);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const card = page.getByTestId(`model-card-${target.key}`);
    await card.scrollIntoViewIfNeeded();
    await page.getByTestId(`switch-${target.key}`).click();
    await page.getByTestId('confirm-action').click();

    await page.getByTestId('swap-panel').waitFor({ timeout: 15_000 });
    // In view: the owner sees the progress without hunting for it.
    await page.waitForFunction(
      () => {
        const r = document.querySelector('[data-testid="swap-panel"]')!.getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight / 2;
      },
      undefined,
      { timeout: 10_000 },
    );
    const chip = page.getByTestId('vllm-chip');
    expect(await chip.getAttribute('data-state')).toBe('switching');
    expect(await chip.textContent()).toBe(`vLLM: switching to ${target.display_name}`);
    await page.screenshot({ path: join(ARTIFACTS, 'swap-in-view.png') });

    await page.getByTestId('swap-cancel').click();
    const dialog = page.getByTestId('swap-cancel-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('confirm-dismiss').textContent()).toBe('Keep switching');
    expect(await dialog.getByTestId('confirm-action').textContent()).toBe('Stop the switch');
    await dialog.getByTestId('confirm-dismiss').click();
    await dialog.waitFor({ state: 'detached' });
    expect(RUNNING).toContain(await page.getByTestId('swap-panel').getAttribute('data-state'));

    await page.getByTestId('swap-cancel').click();
    await dialog.getByTestId('confirm-action').click();
    await panelState('cancelled');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="vllm-chip"]')?.getAttribute('data-state') !== 'switching',
    );

    const pairs = await page.evaluate(
      () => (window as unknown as { pairs: [string, string | null][] }).pairs,
    );
    expect(pairs.length).toBeGreaterThan(0);
    for (const [pill, phase] of pairs) {
      if (RUNNING.includes(pill)) expect(phase ?? '').not.toMatch(/^(ready|failed|cancelled)/i);
      else expect([null, pill]).toContain(phase?.toLowerCase() ?? null);
    }
  });

  it('shows every time in local time, never an ISO or UTC string', async () => {
    await page.waitForFunction(
      (running) =>
        !running.includes(
          document.querySelector('[data-testid="swap-panel"]')?.getAttribute('data-state') ?? '',
        ),
      RUNNING,
      { timeout: 60_000 },
    );
    const swap = (await (await fetch(`${server.url}/api/swap/current`)).json()) as SwapInfo;
    const local = (iso: string) =>
      new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE });
    const utc = (iso: string) => iso.slice(11, 16);
    expect(await page.getByTestId('swap-started').textContent()).toBe(`started ${local(swap.started_at)}`);
    expect(await page.getByTestId('swap-finished').textContent()).toBe(
      `finished ${local(swap.finished_at!)}`,
    );
    expect(local(swap.started_at)).not.toBe(utc(swap.started_at));

    // The lock is taken while the owner reads the Switch dialog: the server's 409 words the expiry
    // in ISO 8601, the dashboard in local time.
    const target = ((await (await fetch(`${server.url}/api/models`)).json()) as ModelsResponse).models.find(
      (m) => !m.loaded && m.mode === 'solo',
    )!;
    await page.getByTestId(`switch-${target.key}`).click();
    const dialog = page.getByTestId('switch-dialog');
    await dialog.waitFor();
    const lock = await fetch(`${server.url}/api/swap/lock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ holder: 'nightly-eval', ttl_s: 3600 }),
    });
    const { lock: held } = (await lock.json()) as { lock: { expires_at: string } };
    await dialog.getByTestId('confirm-action').click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor({ timeout: 15_000 });
    const expiresLocal = new Date(held.expires_at).toLocaleTimeString('en-GB', { timeZone: TIME_ZONE });
    // An expiry past midnight (in the browser's zone) carries its day too: "until Wed 2 Dec, 00:03:09".
    expect(await refusal.textContent()).toMatch(
      new RegExp(`until (\\w{3} \\d{1,2} \\w{3}, )?${expiresLocal}`),
    );
    // The lock line follows the SSE `lock` event, which may arrive after the 409.
    await page.locator('[data-testid="gpu-lock"][data-locked="true"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('gpu-lock').textContent()).toContain(local(held.expires_at));
    // Node cards' "updated …" say their sample time on hover.
    await page.locator('.sample-age[title]').first().waitFor({ timeout: 15_000 });

    const shown = await page.evaluate(() => [
      document.body.innerText,
      ...[...document.querySelectorAll('[title]')].map((e) => e.getAttribute('title') ?? ''),
      ...[...document.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label') ?? ''),
    ]);
    expect(shown.filter((t) => ISO.test(t))).toEqual([]);
    expect(shown.join('\n')).not.toMatch(/\bUTC\b/);
    await page.screenshot({ path: join(ARTIFACTS, 'local-times.png'), fullPage: true });
  });
});
