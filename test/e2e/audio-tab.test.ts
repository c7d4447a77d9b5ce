// The Audio tab as the owner uses it on the demo: both speech services live, a restart asked
// for and followed as a job, a deep check run with ↻, a simulated fault switched from the chaos
// panel (and seen by the deep check), the speech loopback passing and failing from its panel, and
// the NIM installer's catalog and its refusals.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopbackResult, NimCatalogEntry, ServicesResponse } from '../../src/common/services-api.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const attr = (testId: string, name: string) =>
  `document.querySelector('[data-testid="${testId}"]')?.getAttribute('${name}')`;

describe('Audio tab on the simulated cluster', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let asr: string;
  let tts: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess({ SIM_SPEED: '0.1' }), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const services = (await (await fetch(`${server.url}/api/services`)).json()) as ServicesResponse;
    asr = services.services.find((s) => s.kind === 'asr')!.name;
    tts = services.services.find((s) => s.kind === 'tts')!.name;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const waitAttr = (testId: string, name: string, value: string, timeout = 60_000) =>
    page.waitForFunction(`${attr(testId, name)} === ${JSON.stringify(value)}`, undefined, { timeout });

  it('shows both speech services live: running, healthy, with their copyable base URL', async () => {
    await page.goto(server.url);
    await page.getByTestId('tab-audio').click();
    for (const name of [asr, tts]) {
      await page.getByTestId(`service-card-${name}`).waitFor();
      await waitAttr(`service-card-${name}`, 'data-docker-state', 'running');
      await waitAttr(`service-card-${name}`, 'data-health', 'healthy');
      expect(await page.getByTestId(`service-status-${name}`).getAttribute('data-tone')).toBe('ok');
      expect(await page.getByTestId(`service-card-${name}`).textContent()).toMatch(/Base URL\s*http:\/\//);
      // Start makes no sense for a running container.
      expect(await page.getByTestId(`service-start-${name}`).isDisabled()).toBe(true);
    }
    await page.getByTestId('live-indicator').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'audio-tab.png'), fullPage: true });
  });

  it('tails a container log live in the drawer, and closes it again', async () => {
    await page.getByTestId(`service-logs-${asr}`).click();
    await waitAttr(`log-drawer-${asr}`, 'data-state', 'live', 15_000);
    await page.waitForFunction(
      (id) => (document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '').trim().length > 0,
      `log-tail-${asr}`,
      { timeout: 15_000 },
    );
    // ANSI colour codes never reach the page.
    expect(await page.getByTestId(`log-tail-${asr}`).textContent()).not.toContain('\u001b[');
    await page.getByTestId(`service-logs-${asr}`).click();
    await page.getByTestId(`log-drawer-${asr}`).waitFor({ state: 'detached' });
  });

  it('asks before a restart, saying what happens, then follows the restart job to the end', async () => {
    await page.getByTestId(`service-restart-${tts}`).click();
    const dialog = page.getByTestId('service-action-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/docker restart on container \S+ on \S+/);
    await page.getByTestId('confirm-action').click();
    const job = page.getByTestId(`service-job-${tts}`);
    await job.waitFor({ timeout: 15_000 });
    expect(await job.getAttribute('data-job-id')).toBeTruthy();
    await waitAttr(`service-job-${tts}`, 'data-state', 'succeeded', 90_000);
    await waitAttr(`service-card-${tts}`, 'data-docker-state', 'running');
    // Back to serving before the next test asks it to synthesize.
    await waitAttr(`service-card-${tts}`, 'data-health', 'healthy', 90_000);
  });

  it('runs the deep check with ↻ and shows the new result with its latency', async () => {
    const line = page.getByTestId(`deep-check-${asr}`);
    const before = await line.getAttribute('data-at');
    await page.getByTestId(`deep-check-run-${asr}`).click();
    await page.waitForFunction(
      ([id, old]) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        return !!el && el.getAttribute('data-at') !== old && el.getAttribute('data-outcome') === 'ok';
      },
      [`deep-check-${asr}`, before ?? ''] as const,
      { timeout: 30_000 },
    );
    expect(await line.textContent()).toMatch(/^Deep check ok \d+ s ago · \d+ ms$/);
  });

  it('switches a fault from the chaos panel, and the deep check sees it', async () => {
    // Magpie serving again after the restart test (its health can read ready a moment before it
    // synthesizes: CI once saw the check fail with "the NIM is still initializing"), so the fault's
    // failure is the only one the deep check below can see.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const before = await page.getByTestId(`deep-check-${tts}`).getAttribute('data-at');
      await page.getByTestId(`deep-check-run-${tts}`).click();
      await page.waitForFunction(
        ([id, old]) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-at') !== old,
        [`deep-check-${tts}`, before ?? ''] as const,
        { timeout: 30_000 },
      );
      if ((await page.getByTestId(`deep-check-${tts}`).getAttribute('data-outcome')) === 'ok') break;
      if (Date.now() > deadline) throw new Error('Magpie never passed its deep check');
      await page.waitForTimeout(1000);
    }
    await page.getByTestId('chaos-panel').waitFor();
    const toggle = page.getByTestId('fault-magpie-fail');
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click();
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="fault-magpie-fail"]') as HTMLInputElement | null)?.checked,
    );
    const faults = (await (await fetch(`${server.url}/api/sim/faults`)).json()) as {
      faults: { name: string; on: boolean }[];
    };
    expect(faults.faults.find((f) => f.name === 'magpie-fail')?.on).toBe(true);

    await page.getByTestId(`deep-check-run-${tts}`).click();
    await waitAttr(`deep-check-${tts}`, 'data-outcome', 'failed', 30_000);
    // The fault's own answer (a 500 carrying cudaErrorUnknown), not a service still starting.
    expect(await page.getByTestId(`deep-check-${tts}`).textContent()).toMatch(
      /^Deep check FAILED \d+ s ago: .*(500|cudaErrorUnknown)/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'audio-fault.png'), fullPage: true });

    await toggle.click();
    await page.waitForFunction(
      () =>
        !(document.querySelector('[data-testid="fault-magpie-fail"]') as HTMLInputElement | null)?.checked,
    );
    const after = (await (await fetch(`${server.url}/api/sim/faults`)).json()) as typeof faults;
    expect(after.faults.find((f) => f.name === 'magpie-fail')?.on).toBe(false);
  });

  /** Clicks the loopback's Run and returns the result the server answered with. */
  const runLoopback = async () => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/deep-health/loopback/run'), { timeout: 60_000 }),
      page.getByTestId('loopback-run').click(),
    ]);
    expect(response.status()).toBe(200);
    return (await response.json()) as LoopbackResult;
  };

  it('runs the speech loopback from its panel and shows what was said and heard', async () => {
    // Right after the chaos test switched magpie-fail off: both services serve, so the phrase
    // Magpie speaks comes back from Parakeet word for word.
    await page.getByTestId('loopback-panel').waitFor();
    const result = await runLoopback();
    expect(result).toMatchObject({ ok: true, error: null });
    await waitAttr('loopback-result', 'data-ok', 'true', 15_000);
    const text = await page.getByTestId('loopback-result').textContent();
    expect(text).toMatch(/^Passed \d+ (s|min) ago · 100 % of words heard · \d+ ms/);
    expect(text).toContain(`Said “${result.phrase}”, heard “${result.heard}”.`);
    expect(await page.getByTestId('loopback-run').textContent()).toBe('Run');
  });

  it('shows a failed loopback with the step that failed and why', async () => {
    const on = (flag: boolean) =>
      fetch(`${server.url}/api/sim/faults/magpie-fail`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ on: flag }),
      });
    expect((await on(true)).status).toBe(200);
    try {
      const result = await runLoopback();
      expect(result.ok).toBe(false);
      // The previous result passed: the panel now shows this failure in its place.
      await waitAttr('loopback-result', 'data-ok', 'false', 15_000);
      const text = await page.getByTestId('loopback-result').textContent();
      expect(text).toMatch(/^FAILED \d+ (s|min) ago: Magpie answered HTTP 500/);
      expect(text).toContain('heard nothing');
      await page.screenshot({ path: join(ARTIFACTS, 'audio-loopback-failed.png') });
    } finally {
      expect((await on(false)).status).toBe(200);
    }
  });

  it('shows drift after a simulated Parakeet upgrade, and Reapply brings the patches back in sync', async () => {
    const fault = await fetch(`${server.url}/api/sim/faults/parakeet-upgrade`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ on: true }),
    });
    expect(fault.status).toBe(200);
    // The panel's snapshot refreshes on its own schedule; look again now, then open the tab afresh.
    const fresh = (await (await fetch(`${server.url}/api/speech-models?refresh=1`)).json()) as {
      files: { status: string }[];
    };
    expect(fresh.files.some((f) => f.status !== 'in_sync')).toBe(true);
    await page.goto(server.url);
    await page.getByTestId('tab-audio').click();
    await page.getByTestId('patches-panel').waitFor();
    const statuses = () =>
      page.$$eval('[data-testid^="patch-file-"]', (els) => els.map((e) => e.getAttribute('data-status')));
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid^="patch-file-"]')].some(
          (e) => e.getAttribute('data-status') !== 'in_sync',
        ),
      undefined,
      { timeout: 30_000 },
    );
    expect((await statuses()).filter((s) => s !== 'in_sync').length).toBeGreaterThan(0);

    await page.getByTestId('patches-reapply').click();
    await page.getByTestId('confirm-action').click();
    await page.getByTestId('patches-job').waitFor({ timeout: 15_000 });
    await waitAttr('patches-job', 'data-state', 'succeeded', 120_000);
    await page.waitForFunction(
      () => {
        const files = [...document.querySelectorAll('[data-testid^="patch-file-"]')];
        return files.length > 0 && files.every((e) => e.getAttribute('data-status') === 'in_sync');
      },
      undefined,
      { timeout: 30_000 },
    );
    await page.getByTestId('patches-result').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'audio-patches.png') });
  });

  it('installs a NIM from the dialog: catalog, Pick fills the form, the job runs to the end and a card appears', async () => {
    const catalog = (await (await fetch(`${server.url}/api/nim/catalog`)).json()) as
      NimCatalogEntry[] | { entries: NimCatalogEntry[] };
    const entries = Array.isArray(catalog) ? catalog : catalog.entries;
    expect(entries.length).toBeGreaterThan(0);
    await page.getByTestId('nim-install-open').click();
    await page.getByTestId('nim-install-dialog').waitFor();
    await page.getByTestId('nim-catalog').waitFor();
    expect(await page.locator('[data-testid^="nim-entry-"]').count()).toBe(entries.length);
    const first = entries[0]!;
    await page.getByTestId(`nim-pick-${first.id}`).click();
    expect(await page.getByTestId('nim-image').inputValue()).toBe(first.image);
    expect(await page.getByTestId('nim-port').inputValue()).toBe(String(first.port));
    expect(await page.getByTestId('nim-container').inputValue()).not.toBe('');
    await page.screenshot({ path: join(ARTIFACTS, 'audio-nim-dialog.png') });

    // The demo's simulated nvcr.io takes its own key, so the install runs as a job: its phase
    // shows, it ends `succeeded`, and the installed NIM becomes a card.
    const container = await page.getByTestId('nim-container').inputValue();
    await page.getByTestId('nim-install-submit').click();
    await page.getByTestId('nim-install-job').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('nim-install-error').count()).toBe(0);
    await waitAttr('nim-install-job', 'data-state', 'succeeded', 120_000);
    const services = (await (await fetch(`${server.url}/api/services`)).json()) as ServicesResponse;
    expect(services.services.find((s) => s.container === container)?.custom).toBe(true);
  });
});
