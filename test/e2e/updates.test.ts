// The launcher updates banner in the browser (issue 12 items 5, 6, 8): the simulated launcher's
// origin gains a commit, Check now shows the banner with the commit in its details, Explain streams
// the loaded model's answer, Apply runs the update to done; then a broken build fails the next
// update and Roll back restores the launcher.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpdatesResponse } from '../../src/common/updates-api.js';
import { ARTIFACTS } from '../helpers/browser.js';
import { openDashboard, type Dashboard } from '../helpers/dashboard.js';
import { waitFor } from '../helpers/harness.js';
import type { ServerProcess } from '../helpers/server-process.js';

const BUILD_TIMEOUT = 150_000;

describe('launcher updates banner', () => {
  let server: ServerProcess;
  let page: Page;
  let dashboard: Dashboard | undefined;

  const sim = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}/api/sim/launcher/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { sha?: string };
  };
  const lastState = (state: string) =>
    page.waitForSelector(`[data-testid="updates-last"][data-state="${state}"]`, { timeout: BUILD_TIMEOUT });

  beforeAll(async () => {
    dashboard = await openDashboard();
    ({ server, page } = dashboard);
  });
  afterAll(() => dashboard?.close());

  it('shows new commits after Check now, lists them, and explains them with the loaded model', async () => {
    await page.goto(server.url);
    await page.getByTestId('tab-llm').click();
    await page.getByTestId('updates-quiet').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('updates-banner').count()).toBe(0);

    const { sha } = await sim('commit', { message: 'E2E: bump vLLM to a newer nightly' });
    await page.getByTestId('updates-check').click();
    const banner = page.getByTestId('updates-banner');
    await banner.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('updates-headline').textContent()).toBe(
      'spark-vllm-docker — the vLLM orchestration project — has 1 new commit. These are not firmware, OS or model updates.',
    );
    await page.getByTestId('updates-details').locator('summary').click();
    const commit = page.getByTestId('updates-commit');
    expect(await commit.count()).toBe(1);
    expect(await commit.textContent()).toContain(`${sha!.slice(0, 7)} E2E: bump vLLM to a newer nightly`);

    await page.getByTestId('updates-explain').click();
    await page.waitForSelector('[data-testid="explain-panel"][data-state="done"]', { timeout: 60_000 });
    expect(await page.getByTestId('explain-answer').textContent()).toMatch(/1 commit behind/);
    await page.screenshot({ path: join(ARTIFACTS, 'updates-explained.png'), fullPage: true });
    await page.getByTestId('explain-close').click();
  }, 120_000);

  it(
    'applies the update to done with its phases shown',
    async () => {
      await page.getByTestId('updates-apply').click();
      const dialog = page.getByTestId('apply-dialog');
      await dialog.waitFor();
      expect(await dialog.textContent()).toMatch(/takes 5–40 minutes/);
      // The loaded model is the default smoke test; none keeps this test short.
      expect(await page.getByTestId('apply-smoke-model').inputValue()).not.toBe('');
      await page.getByTestId('apply-smoke-model').selectOption('');
      await page.getByTestId('apply-confirm').click();
      await page.getByTestId('update-job').waitFor({ timeout: 30_000 });
      expect(await page.locator('.update-step').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining('Building the vLLM container')]),
      );
      await lastState('succeeded');
      // The job ends before its fresh look at the repository (it does not wait for it): until
      // that look is done the answer says `checking` and still counts the old commits.
      let u: UpdatesResponse | undefined;
      await waitFor(async () => {
        u = (await (await fetch(`${server.url}/api/updates`)).json()) as UpdatesResponse;
        return !u.checking;
      }, 30_000);
      expect(u).toMatchObject({ behind: 0, last: { kind: 'update', state: 'succeeded' } });
      // Up to date again: the banner gives way to the quiet line, which keeps the last result.
      await page.getByTestId('updates-quiet').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('updates-banner').count()).toBe(0);
      expect(await page.getByTestId('updates-last').textContent()).toMatch(/^Last update: succeeded/);
    },
    BUILD_TIMEOUT + 30_000,
  );

  it(
    'offers Roll back after a broken build, and rolls back',
    async () => {
      await sim('commit', { message: 'E2E: a nightly that does not build' });
      await sim('build-fault', { on: true });
      await page.getByTestId('updates-check').click();
      await page.getByTestId('updates-banner').waitFor({ timeout: 30_000 });
      await page.getByTestId('updates-apply').click();
      await page.getByTestId('apply-smoke-model').selectOption('');
      await page.getByTestId('apply-confirm').click();
      await lastState('failed');
      expect(await page.getByTestId('updates-last').textContent()).toMatch(
        /^Last update failed .* during building/,
      );
      await sim('build-fault', { on: false });
      await page.getByTestId('updates-rollback').click();
      const confirm = page.getByTestId('rollback-dialog');
      await confirm.waitFor();
      expect(await confirm.textContent()).toMatch(/git reset --hard/);
      await confirm.getByTestId('confirm-action').click();
      await page.waitForSelector('[data-testid="updates-last"][data-state="succeeded"]', {
        timeout: BUILD_TIMEOUT,
      });
      expect(await page.getByTestId('updates-last').textContent()).toMatch(/^Last rollback: succeeded/);
      await page.screenshot({ path: join(ARTIFACTS, 'updates-rolled-back.png'), fullPage: true });
    },
    BUILD_TIMEOUT * 2,
  );
});
