// The demo as a newcomer sees it: `npm start`'s server on the simulated cluster, in Chromium.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS } from '../helpers/browser.js';
import { openDashboard, type Dashboard } from '../helpers/dashboard.js';
import type { ServerProcess } from '../helpers/server-process.js';

describe('dashboard on the simulated cluster', () => {
  let server: ServerProcess;
  let page: Page;
  let dashboard: Dashboard | undefined;

  beforeAll(async () => {
    dashboard = await openDashboard();
    ({ server, page } = dashboard);
  });
  afterAll(() => dashboard?.close());

  it('shows two live GB10 node cards and the simulated-cluster banner', async () => {
    await page.goto(server.url);
    await page.getByTestId('sim-banner').waitFor();
    for (const node of ['spark1', 'spark2']) {
      const card = page.getByTestId(`node-card-${node}`);
      await card.waitFor();
      await page.waitForFunction(
        (n) => document.querySelector(`[data-testid="node-card-${n}"]`)?.getAttribute('data-state') === 'ok',
        node,
      );
      await expect(page.getByTestId(`gpu-name-${node}`).textContent()).resolves.toContain('NVIDIA GB10');
    }
    expect(await page.locator('[data-testid^="node-card-"]').count()).toBe(2);
    await page.getByTestId('live-indicator').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  it('turns a node card unreachable when its Spark goes down, live', async () => {
    const r = await fetch(`${server.url}/api/sim/nodes/spark2/down`, { method: 'POST' });
    expect(r.status).toBe(200);
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="node-card-spark2"]')?.getAttribute('data-state') ===
        'unreachable',
      undefined,
      { timeout: 30_000 },
    );
    const text = await page.getByTestId('node-card-spark2').textContent();
    expect(text).toMatch(/check|powered|network/i);
    expect(await page.getByTestId('node-card-spark1').getAttribute('data-state')).toBe('ok');
    await page.screenshot({ path: join(ARTIFACTS, 'node-unreachable.png'), fullPage: true });
    await fetch(`${server.url}/api/sim/nodes/spark2/up`, { method: 'POST' });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="node-card-spark2"]')?.getAttribute('data-state') === 'ok',
      undefined,
      { timeout: 30_000 },
    );
  });

  it('shows the public key with a command per node', async () => {
    await page.getByTestId('show-public-key').click();
    const dialog = page.getByTestId('public-key-dialog');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('ssh-ed25519');
    expect(text).toContain('authorized_keys');
    await page.screenshot({ path: join(ARTIFACTS, 'public-key.png') });
  });
});
