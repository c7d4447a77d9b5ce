// Wake-on-LAN from the dashboard: a simulated Spark goes to sleep, its card shows the MAC and a
// Wake button; Wake sends the packet (peer + broadcast, both to the simulator's loopback LAN), the
// card says "waking — waiting for SSH", and the node comes back by itself.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardwareSnapshot } from '../../src/common/api.js';
import { ARTIFACTS } from '../helpers/browser.js';
import { openDashboard, type Dashboard } from '../helpers/dashboard.js';
import type { ServerProcess } from '../helpers/server-process.js';

const cardState = (page: Page, node: string, state: 'ok' | 'unreachable') =>
  page.waitForFunction(
    ([n, s]) => document.querySelector(`[data-testid="node-card-${n}"]`)?.getAttribute('data-state') === s,
    [node, state] as const,
    { timeout: 60_000 },
  );

describe('Wake-on-LAN on the unreachable card', () => {
  let server: ServerProcess;
  let page: Page;
  let dashboard: Dashboard | undefined;

  beforeAll(async () => {
    // A slow boot, so "waking" is on screen long enough to read.
    dashboard = await openDashboard({ SIM_WAKE_DELAY_MS: '4000' });
    ({ server, page } = dashboard);
  });
  afterAll(() => dashboard?.close());

  it('wakes a sleeping Spark and sees it come back', async () => {
    await page.goto(server.url);
    await page.getByTestId('node-card-spark2').waitFor();
    await cardState(page, 'spark2', 'ok');
    const hw = (await (await fetch(`${server.url}/api/hardware`)).json()) as HardwareSnapshot;
    const mac = hw.spark2?.mac;
    expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);

    expect((await fetch(`${server.url}/api/sim/nodes/spark2/down`, { method: 'POST' })).status).toBe(200);
    await cardState(page, 'spark2', 'unreachable');
    expect(await page.getByTestId('wake-mac-spark2').textContent()).toBe(mac);
    expect(await page.getByTestId('wake-panel-spark2').textContent()).toMatch(/ethtool -s <interface> wol g/);

    await page.getByTestId('wake-spark2').click();
    const result = page.getByTestId('wake-result-spark2');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Sent from spark1 over SSH, broadcast to 127\.0\.0\.1:\d+\./);
    await page.getByTestId('waking-spark2').waitFor();
    expect(await page.getByTestId('waking-spark2').textContent()).toMatch(
      /Waking — waiting for SSH · \d+:\d\d/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'wake-waking.png'), fullPage: true });

    await cardState(page, 'spark2', 'ok');
    expect(await page.getByTestId('waking-spark2').count()).toBe(0);
  });
});
