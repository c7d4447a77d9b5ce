// The control plane stopped in the middle of work on containers, then started again on the same
// data, as the owner sees it on the Audio tab: the Parakeet card and the patches panel say the
// reapply was interrupted, how far it got and what to do, with a link to its log; the NIM install
// that was cut short is listed under the services and can be dismissed. The next reapply clears
// the card live; one cut short again is dismissed from the card with its Dismiss button and stays
// gone after another restart. (The demo's simulated cluster starts afresh with the process, so the install's
// container is gone by then, as after a reboot of the Spark.)
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import type { ServicesResponse } from '../../src/common/services-api.js';
import { SIM_NGC_KEY } from '../../src/sim/nim.js';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { waitFor } from '../helpers/harness.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const ENV = { SIM_SPEED: '0.05', NGC_API_KEY: SIM_NGC_KEY };

async function call<T>(url: string, method = 'GET', body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe('jobs a control-plane restart cut short, on the Audio tab', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let asr: string;
  let reapplyId: string;
  let installId: string;
  let speechNode: string;

  beforeAll(async () => {
    const [first, b] = await Promise.all([startServerProcess(ENV), launchBrowser()]);
    browser = b;
    const services = (await call<ServicesResponse>(`${first.url}/api/services`)).body.services;
    const parakeet = services.find((s) => s.kind === 'asr')!;
    asr = parakeet.name;
    speechNode = parakeet.node;
    // Every command on the speech node waits, so both jobs are mid-way when the process stops.
    await call(`${first.url}/api/sim/nodes/${parakeet.node}/latency`, 'POST', { ms: 700 });
    const install = await call<{ job_id: string }>(`${first.url}/api/nim/install`, 'POST', {
      image: 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest',
      container: 'e2e-nim',
      port: await freePort(),
      volume: 'e2e-nim-cache',
      node: parakeet.node,
    });
    expect(install.status).toBe(202);
    installId = install.body.job_id;
    const reapply = await call<{ job_id: string }>(`${first.url}/api/speech-models/reapply`, 'POST');
    expect(reapply.status).toBe(202);
    reapplyId = reapply.body.job_id;
    await waitFor(
      async () => (await call<JobInfo>(`${first.url}/api/jobs/${reapplyId}`)).body.phase === 'backup',
      60_000,
    );
    expect(await first.terminate()).toBe(0);
    server = await startServerProcess(ENV, { dataDir: first.dataDir });
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the Parakeet card says the reapply was interrupted, what it left and what to do, and links its log', async () => {
    await page.goto(server.url);
    await page.getByTestId('tab-audio').click();
    const notice = page.getByTestId(`service-last-job-${asr}`);
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.getAttribute('data-job-id')).toBe(reapplyId);
    expect(await notice.getAttribute('data-state')).toBe('interrupted');
    const text = (await notice.textContent()) ?? '';
    expect(text).toMatch(
      /^The reapply of the speech-model patches was interrupted by a control-plane restart at \d\d:\d\d:\d\d(?: [AP]M)?:/,
    );
    expect(text).toMatch(/The originals were backed up but the copy had not finished/);
    expect(text).toMatch(/Reapply again/);

    const href = await page.getByTestId(`service-last-job-${asr}-log`).getAttribute('href');
    expect(href).toBe(`/api/jobs/${reapplyId}/log`);
    const log = await (await fetch(`${server.url}${href}`)).text();
    expect(log).toMatch(/^job \S+ \(patch-reapply\): interrupted/);
    expect(log).toMatch(/ok {3}backup: /);

    // The patches panel says the same about its container.
    const panel = page.getByTestId('patches-last-job');
    await panel.waitFor();
    expect(await panel.getAttribute('data-job-id')).toBe(reapplyId);
    expect(await panel.textContent()).toMatch(/The originals were backed up/);
    await page.screenshot({ path: join(ARTIFACTS, 'interrupted-jobs.png'), fullPage: true });
  });

  it('lists the install that was cut short, and Dismiss settles it', async () => {
    const entry = page.getByTestId('nim-install-e2e-nim');
    await entry.waitFor({ timeout: 30_000 });
    expect(await entry.getAttribute('data-container-state')).toBe('missing');
    const notice = page.getByTestId('nim-install-e2e-nim-notice');
    expect(await notice.getAttribute('data-job-id')).toBe(installId);
    expect(await notice.textContent()).toMatch(
      /^The install of nvcr\.io\/nim\/nvidia\/parakeet-1-1b-ctc-en-us:latest as e2e-nim was interrupted by a control-plane restart at/,
    );
    await page.getByTestId('nim-install-e2e-nim-remove').click();
    await page.getByTestId('nim-installs').waitFor({ state: 'detached', timeout: 30_000 });
    expect((await call<{ installs: unknown[] }>(`${server.url}/api/nim/installs`)).body.installs).toEqual([]);
  });

  it('the next reapply on the container clears the card', async () => {
    const again = await call<{ ok: boolean }>(`${server.url}/api/speech-models/reapply?wait=1`, 'POST');
    expect(again.body.ok).toBe(true);
    // Pushed over the event stream when the job ends: no reload.
    await page.getByTestId(`service-last-job-${asr}`).waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('Dismiss takes a notice off the card and the patches panel, and it stays gone after a restart', async () => {
    // Another reapply cut short by a restart, as in beforeAll.
    await call(`${server.url}/api/sim/nodes/${speechNode}/latency`, 'POST', { ms: 700 });
    const reapply = await call<{ job_id: string }>(`${server.url}/api/speech-models/reapply`, 'POST');
    expect(reapply.status).toBe(202);
    const id = reapply.body.job_id;
    await waitFor(
      async () => (await call<JobInfo>(`${server.url}/api/jobs/${id}`)).body.phase === 'backup',
      60_000,
    );
    expect(await server.terminate()).toBe(0);
    server = await startServerProcess(ENV, { dataDir: server.dataDir });

    await page.goto(server.url);
    await page.getByTestId('tab-audio').click();
    const notice = page.locator(`[data-testid="service-last-job-${asr}"][data-job-id="${id}"]`);
    await notice.waitFor({ timeout: 30_000 });
    await page.locator(`[data-testid="patches-last-job"][data-job-id="${id}"]`).waitFor();
    await page.getByTestId(`service-last-job-${asr}-dismiss`).click();
    await notice.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('patches-last-job').waitFor({ state: 'detached', timeout: 30_000 });
    expect((await call<JobInfo>(`${server.url}/api/jobs/${id}`)).body.dismissed_at).toEqual(
      expect.any(String),
    );

    expect(await server.terminate()).toBe(0);
    server = await startServerProcess(ENV, { dataDir: server.dataDir });
    await page.goto(server.url);
    await page.getByTestId('tab-audio').click();
    // Once the card shows docker's view the notice would be on it too if the dismissal were lost.
    await page
      .locator(`[data-testid="service-card-${asr}"][data-docker-state="running"]`)
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId(`service-last-job-${asr}`).count()).toBe(0);
  });
});
