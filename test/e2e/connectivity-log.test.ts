// The top bar on a real server and Chromium: "Open chat ↗" when OPEN_WEBUI_URL is set (rendered,
// never followed), Settings (button and #settings), and the Connectivity log dialog following a
// simulated Spark that goes down, gets a report from another app, and comes back — live, while the
// dialog stays open.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectivityResponse } from '../../src/common/api.js';
import { waitFor } from '../helpers/harness.js';
import { ARTIFACTS } from '../helpers/browser.js';
import { openDashboard, type Dashboard } from '../helpers/dashboard.js';
import type { ServerProcess } from '../helpers/server-process.js';

// A documentation address: the page only renders it as a link; nothing fetches it.
const CHAT_URL = 'http://192.0.2.10:3000';

const textOf = async (l: Locator) => (await l.textContent()) ?? '';

describe('top bar and the connectivity log', () => {
  let server: ServerProcess;
  let page: Page;
  let dashboard: Dashboard | undefined;
  const state = async (subject: string) =>
    ((await (await fetch(`${server.url}/api/connectivity`)).json()) as ConnectivityResponse).subjects[subject]
      ?.state;
  const sim = async (action: 'down' | 'up') =>
    expect((await fetch(`${server.url}/api/sim/nodes/spark2/${action}`, { method: 'POST' })).status).toBe(
      200,
    );

  beforeAll(async () => {
    dashboard = await openDashboard({ OPEN_WEBUI_URL: CHAT_URL });
    ({ server, page } = dashboard);
  });
  afterAll(() => dashboard?.close());

  it('links "Open chat ↗" to OPEN_WEBUI_URL in a new tab', async () => {
    await page.goto(server.url);
    const chat = page.getByTestId('open-chat');
    await chat.waitFor();
    expect(await chat.textContent()).toBe('Open chat ↗');
    expect(await chat.getAttribute('href')).toBe(`${CHAT_URL}/`);
    expect(await chat.getAttribute('target')).toBe('_blank');
    expect(await chat.getAttribute('rel')).toContain('noopener');
  });

  it('opens Settings from its button and from #settings', async () => {
    await page.getByTestId('open-settings').click();
    const dialog = page.getByRole('dialog', { name: /settings/i });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'detached' });
    expect(new URL(page.url()).hash).toBe('');

    await page.goto(`${server.url}/#settings`);
    await page.getByRole('dialog', { name: /settings/i }).waitFor();
    await page.goto(server.url);
  });

  it('shows a node going down with a report, and coming back, while the dialog is open', async () => {
    await waitFor(async () => (await state('spark2')) === 'up', 60_000);
    await sim('down');
    await waitFor(async () => (await state('spark2')) === 'down', 60_000);
    const report = await fetch(`${server.url}/api/health-event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        service: 'spark2',
        ok: false,
        source: 'open-webui',
        error: '<b>chat request timed out</b>',
        ms: 1234,
      }),
    });
    expect(report.status).toBe(201);

    await page.getByTestId('open-connectivity-log').click();
    const dialog = page.getByTestId('connectivity-dialog');
    await dialog.waitFor();
    const spark2 = dialog.getByTestId('conn-subject-spark2');
    await spark2.waitFor();
    // Nodes first, then the services.
    const order = await dialog
      .locator('[data-testid^="conn-subject-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(order.slice(0, 5)).toEqual(
      ['spark1', 'spark2', 'vllm', 'parakeet', 'magpie'].map((s) => `conn-subject-${s}`),
    );

    expect(await textOf(spark2.getByTestId('conn-state-spark2'))).toBe('down');
    expect(await textOf(spark2.getByTestId('conn-since-spark2'))).toMatch(
      /^for \d+ (s|min), since \d\d:\d\d:\d\d/,
    );
    const events = spark2.getByTestId('conn-event');
    const down = events.filter({ hasText: 'went down' }).first();
    expect(await textOf(down)).toMatch(/after up for \d+ (s|min)/);
    const reported = events.filter({ hasText: 'report from open-webui: failed' }).first();
    // The error arrives as text: its markup is shown, not interpreted.
    expect(await textOf(reported)).toContain('<b>chat request timed out</b>');
    expect(await reported.locator('b').count()).toBe(0);
    expect(await textOf(reported)).toContain('1234 ms');
    expect(await textOf(spark2.getByTestId('conn-counts-spark2'))).toMatch(/1 outage/);

    const strip = spark2.getByTestId('conn-strip-spark2');
    await strip.locator('[data-kind="down"]').first().waitFor();
    expect(await strip.locator('.conn-cell').count()).toBe(96);
    expect(await strip.locator('[data-kind="down"]').last().getAttribute('title')).toMatch(
      /^\d\d:\d\d.*–\d\d:\d\d.*: .*down \d/,
    );
    expect(await strip.locator('[data-kind="nodata"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'connectivity-log-down.png'), fullPage: true });

    // Back up: the open dialog follows by itself.
    await sim('up');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="conn-state-spark2"]')?.textContent === 'up' &&
        document.querySelector('[data-testid="conn-subject-spark2"]')?.getAttribute('data-state') === 'up',
      undefined,
      { timeout: 60_000 },
    );
    const up = spark2.getByTestId('conn-event').filter({ hasText: 'came up' }).first();
    expect(await textOf(up)).toMatch(/after down for \d+ (s|min)/);
    expect(await spark2.getByTestId('conn-event').first().getAttribute('data-kind')).toBe('transition');
  }, 300_000);
});
