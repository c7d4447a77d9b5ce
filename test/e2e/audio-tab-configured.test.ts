// The Audio tab outside demo mode: with a configured cluster the built server starts no simulator,
// so the chaos panel (the simulator's fault switches) is not shown and its API does not exist,
// while the tab's other panels are. audio-tab.test.ts shows the panel on the demo.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

describe('Audio tab on a configured cluster', () => {
  let dir = '';
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sc-configured-'));
    // One Spark on loopback ports nothing listens on (SSH, vLLM, both speech services): the node is
    // simply down, and no probe reaches whatever else runs on this machine.
    const [ssh, vllm, asr, tts] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        nodes: [{ name: 'spark1', host: '127.0.0.1', user: 'spark', ssh_port: ssh }],
        vllm: { nodes: ['spark1'], port: vllm },
        services: {
          parakeet: { node: 'spark1', port: asr, container: 'parakeet-asr', kind: 'asr' },
          magpie: { node: 'spark1', port: tts, container: 'magpie-tts', kind: 'tts' },
        },
      }),
    );
    [server, browser] = await Promise.all([startServerProcess({ CONFIG_FILE: config }), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has no sim fault API: 404 JSON', async () => {
    const meta = (await (await fetch(`${server.url}/api/meta`)).json()) as { simulated: boolean };
    expect(meta.simulated).toBe(false);
    const res = await fetch(`${server.url}/api/sim/faults`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('shows the Audio tab without the chaos panel', async () => {
    await page.goto(server.url);
    // The version comes from /api/meta, the answer the chaos panel decides on: once it shows, the
    // panel has made its choice.
    const version = ((await (await fetch(`${server.url}/api/meta`)).json()) as { version: string }).version;
    await page.getByText(`v${version}`, { exact: true }).waitFor();
    await page.getByTestId('tab-audio').click();
    await page.getByTestId('audio-tab').waitFor();
    await page.getByTestId('loopback-panel').waitFor();
    await page.getByTestId('patches-panel').waitFor();
    await page.getByTestId('service-card-parakeet').waitFor();
    expect(await page.getByTestId('chaos-panel').count()).toBe(0);
    expect(await page.getByTestId('sim-banner').count()).toBe(0);
    // Nor does the page ask for the fault list it would show.
    expect(requested).not.toContain('/api/sim/faults');
  });
});
