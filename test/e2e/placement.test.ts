// Placement-aware swaps in the dashboard (issue 12 item 4): per-node on-disk pills, "Download" in
// place of "Switch" where a node lacks the weights (opening the download dialog pre-filled for
// those nodes), the pre-flight refusal's Download action, and the trash confirm with the bytes it
// frees. The simulator starts with the demo's weights: the cluster model is not on spark2.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS } from '../helpers/browser.js';
import { openDashboard, type Dashboard } from '../helpers/dashboard.js';
import type { ServerProcess } from '../helpers/server-process.js';

const BIG = 'qwen3-235b-a22b';
const GEMMA = 'gemma4-26b-a4b';

describe('weights placement on the model cards', () => {
  let server: ServerProcess;
  let page: Page;
  let dashboard: Dashboard | undefined;

  beforeAll(async () => {
    dashboard = await openDashboard();
    ({ server, page } = dashboard);
    await page.goto(server.url);
    await page.getByTestId('tab-llm').click();
  });
  afterAll(() => dashboard?.close());

  it('shows per-node pills and Download instead of Switch for the model missing on spark2', async () => {
    const missing = page.getByTestId(`disk-pill-${BIG}-spark2`);
    await missing.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent === 'spark2: missing',
      `disk-pill-${BIG}-spark2`,
      { timeout: 30_000 },
    );
    expect(await page.getByTestId(`disk-pill-${BIG}-spark1`).textContent()).toMatch(
      /^spark1: 1\d\d(\.\d)? GB$/,
    );
    expect(await page.getByTestId(`switch-${BIG}`).count()).toBe(0);
    expect(await page.getByTestId(`switch-${GEMMA}`).count()).toBe(1);

    await page.getByTestId(`download-${BIG}`).click();
    await page.getByTestId('download-dialog').waitFor();
    expect(await page.getByTestId('download-repo').inputValue()).toBe(
      'RedHatAI/Qwen3-235B-A22B-Instruct-2507-NVFP4',
    );
    const boxes = page.getByTestId('download-form').locator('input[type="checkbox"]');
    const checked = await boxes.evaluateAll((els) =>
      els.map((e) => `${e.parentElement?.textContent?.trim()}:${(e as HTMLInputElement).checked}`),
    );
    expect(checked).toEqual(['spark1:false', 'spark2:true']);
    await page.screenshot({ path: join(ARTIFACTS, 'placement-download.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await page.getByTestId('download-dialog').waitFor({ state: 'detached' });
  }, 90_000);

  it('the pre-flight refusal names the missing node and offers its download', async () => {
    await page.getByTestId(`check-${BIG}`).click();
    const result = page.getByTestId(`check-result-${BIG}`);
    await result.getByTestId(`check-download-${BIG}`).waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/not on spark2/);
    await result.getByTestId(`check-download-${BIG}`).click();
    await page.getByTestId('download-dialog').waitFor();
    expect(await page.getByTestId('download-repo').inputValue()).toMatch(/Qwen3-235B/);
    await page.keyboard.press('Escape');
    await page.getByTestId('download-dialog').waitFor({ state: 'detached' });
  }, 60_000);

  it('the trash confirm shows the bytes freed per node; afterwards the card offers Download', async () => {
    await page.getByTestId(`disk-delete-${GEMMA}`).click();
    const dialog = page.getByTestId('disk-delete-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('disk-delete-nodes').textContent()).toMatch(/spark1: frees 18\.\d GB/);
    expect(await dialog.getByTestId('confirm-action').textContent()).toMatch(/^Delete 18\.\d GB$/);
    await dialog.getByTestId('confirm-action').click();
    await page.getByTestId(`download-${GEMMA}`).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId(`disk-pill-${GEMMA}-spark1`).textContent()).toBe('spark1: missing');
    expect(await page.getByTestId(`switch-${GEMMA}`).count()).toBe(0);
  }, 60_000);
});
