// A new repo downloaded onto the Sparks from the dashboard with a live bar per node, then added to
// the catalog from the pre-filled form (issue 12 item 1's "done when").
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelsResponse } from '../../src/common/api.js';
import { ARTIFACTS } from '../helpers/browser.js';
import { openDashboard, type Dashboard } from '../helpers/dashboard.js';
import type { ServerProcess } from '../helpers/server-process.js';

describe('download a model from the dashboard', () => {
  let server: ServerProcess;
  let page: Page;
  let dashboard: Dashboard | undefined;

  beforeAll(async () => {
    dashboard = await openDashboard();
    ({ server, page } = dashboard);
  });
  afterAll(() => dashboard?.close());

  it('downloads with a live bar per node, then adds the repo to the catalog pre-filled', async () => {
    await page.goto(server.url);
    await page.getByTestId('tab-llm').click();
    await page.getByTestId('download-model').click();
    await page.getByTestId('download-repo').fill('acme/E2E-Demo-2B');
    await page.getByTestId('download-submit').click();
    await page.getByTestId('download-progress').waitFor();
    await page.getByTestId('download-node-spark2').waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="download-progress"]')?.getAttribute('data-state') ===
        'succeeded',
      undefined,
      { timeout: 90_000 },
    );
    for (const node of ['spark1', 'spark2']) {
      const bar = page.getByTestId(`download-node-${node}`);
      expect(await bar.getAttribute('data-state')).toBe('succeeded');
      expect(await bar.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
      expect(await bar.textContent()).toMatch(/GB of [\d.]+ GB/);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'download-done.png'), fullPage: true });
    await page.getByTestId('download-add-to-catalog').click();
    await page.getByTestId('add-model-form').waitFor();
    await page.getByTestId('add-model-submit').click();
    await page.getByTestId('model-card-e2e-demo-2b').waitFor({ timeout: 15_000 });
    const models = (await (await fetch(`${server.url}/api/models`)).json()) as ModelsResponse;
    const added = models.models.find((m) => m.key === 'e2e-demo-2b');
    expect(added).toMatchObject({ repo: 'acme/E2E-Demo-2B', custom: true, mode: 'solo' });
  }, 180_000);
});
