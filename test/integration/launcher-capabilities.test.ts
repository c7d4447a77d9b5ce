// The launcher capability check (issue 12 item 7) over the real simulator: the head's real git
// checkout of the launcher, `./launch-cluster.sh --help` over real SSH, the swap's 409 and the
// pre-flight's refusal before anything stops, and the re-read once the launcher's commit changes.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StatusResponse, SwapInfo, ValidateResponse } from '../../src/common/api.js';
import { LauncherCapabilityCache, launcherCheck } from '../../src/server/modules/launcher/index.js';
import type { SwapModel } from '../../src/server/modules/swap/model.js';
import { sshExecLog } from '../../src/sim/argv-log.js';
import { writeHubRepo } from '../../src/sim/hf-cache.js';
import {
  getJson,
  startTestCluster,
  waitFor,
  type TestCluster,
  WATCHING_HARDWARE,
} from '../helpers/harness.js';
import { finished, post, stopsSince, type Err } from './swap-helpers.js';

vi.setConfig({ testTimeout: 60_000 });
const MODEL = 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8';
type Refusal = Err & {
  error: { details: { code: string; node: string; commit?: string; missing?: string[] } };
};

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ speed: 0.03, timings: WATCHING_HARDWARE });
  await waitFor(async () => (await getJson<StatusResponse>(`${c.url}/api/status`)).body.vllm.model !== null);
  for (const mode of ['solo', 'cluster'] as const) {
    const r = await post(`${c.url}/api/models`, {
      key: `cap-${mode}`,
      display_name: `cap ${mode}`,
      repo: MODEL,
      size_gb: 31,
      mode,
      vllm_args: [],
    });
    expect(r.status).toBe(201);
  }
  // The demo seeds this repo on the head only; the cluster entry needs it on spark2 too.
  for (const n of c.sim.nodes) writeHubRepo(n.home, MODEL);
});
afterAll(async () => {
  await c?.close();
});

const validate = async (key: string) =>
  (await post<ValidateResponse>(`${c.url}/api/swap/${key}/validate`)).body;
const setVersion = async (version: string) => {
  const res = await fetch(`${c.sim.controlUrl}/launcher/version`, {
    method: 'POST',
    body: JSON.stringify({ version }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { sha: string }).sha;
};
/** How many times the head ran the launcher's --help (the simulator logs every exec). */
const helpReads = () =>
  sshExecLog(join(c.dataDir, 'sim'), c.sim.nodes[0]!.name).filter((e) =>
    /launch-cluster\.sh --help/.test(e.command),
  ).length;
const current = async () => (await getJson<SwapInfo | null>(`${c.url}/api/swap/current`)).body;

async function swapToReady(key: string): Promise<SwapInfo> {
  const r = await post<{ id: string }>(`${c.url}/api/swap`, { key });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const s = await finished(c, r.body.id);
  expect(s.state, s.error ?? '').toBe('ready');
  return s;
}

describe('launcher capability check', () => {
  it('passes the current launcher: pre-flight ok and a solo swap runs', async () => {
    expect(await validate('cap-solo')).toMatchObject({ ok: true, stage: 'done', error: null });
    await swapToReady('cap-solo');
  });

  it('refuses a solo swap and its pre-flight on a launcher without --solo before anything stops; cluster still runs', async () => {
    const sha = await setVersion('no-solo');
    try {
      const pre = await validate('cap-solo');
      expect(pre.ok).toBe(false);
      expect(pre.stage).toBe('launcher');
      expect(pre.error).toBe(
        `The launcher on spark1 (commit ${sha.slice(0, 7)}) lacks --solo: update the launcher from the Updates banner`,
      );

      const before = await current();
      const since = new Date().toISOString();
      const swap = await post<Refusal>(`${c.url}/api/swap`, { key: 'cap-solo' });
      expect(swap.status).toBe(409);
      expect(swap.body.error).toMatchObject({
        code: 'CONFLICT',
        message: pre.error,
        details: { code: 'launcher_outdated', node: 'spark1', commit: sha, missing: ['--solo'] },
      });
      expect(stopsSince(c, since)).toBe(0);
      expect((await current())?.id).toBe(before?.id);

      expect(await validate('cap-cluster')).toMatchObject({ ok: true, stage: 'done' });
      const s = await swapToReady('cap-cluster');
      expect(s.nodes).toEqual(['spark1', 'spark2']);
    } finally {
      await setVersion('current');
    }
  });

  it('reads --help once per launcher version and again after the commit changes', async () => {
    await validate('cap-solo');
    const reads = helpReads();
    expect(await validate('cap-solo')).toMatchObject({ ok: true });
    expect(helpReads()).toBe(reads);

    await setVersion('no-solo');
    expect(await validate('cap-solo')).toMatchObject({ ok: false, stage: 'launcher' });
    expect(helpReads()).toBe(reads + 1);
    await setVersion('current');
    expect(await validate('cap-solo')).toMatchObject({ ok: true, stage: 'done' });
    expect(helpReads()).toBe(reads + 2);
    await swapToReady('cap-solo');
  });

  it('refuses with launcher_unknown when the launcher cannot be read, stopping nothing', async () => {
    const moved = `${c.sim.launcher.checkout}.moved`;
    renameSync(c.sim.launcher.checkout, moved);
    try {
      const since = new Date().toISOString();
      const swap = await post<Refusal>(`${c.url}/api/swap`, { key: 'cap-cluster' });
      expect(swap.status).toBe(409);
      expect(swap.body.error.details.code).toBe('launcher_unknown');
      expect(swap.body.error.message).toMatch(
        /^Cannot tell whether the launcher on spark1 can run this swap: Cannot read the launcher in ~\/spark-vllm-docker on spark1: .*cannot change to/,
      );
      expect(stopsSince(c, since)).toBe(0);
      expect(await validate('cap-solo')).toMatchObject({ ok: false, stage: 'launcher' });
    } finally {
      renameSync(moved, c.sim.launcher.checkout);
    }
    expect(await validate('cap-solo')).toMatchObject({ ok: true });
  });

  it('says launcher_unknown when the head is unreachable (the cache over the real SSH pool)', async () => {
    const cache = new LauncherCapabilityCache({
      transport: c.transport,
      head: 'spark1',
      launcherDir: c.config.vllm.launcher_dir,
      timeoutMs: 5000,
    });
    const check = launcherCheck(cache);
    const solo = { key: 'cap-solo', mode: 'solo' } as SwapModel;
    expect(await check(solo, ['spark1'])).toBeNull();
    await c.sim.faults.nodeDown('spark1');
    try {
      const r = await check(solo, ['spark1']);
      expect(r?.code).toBe('launcher_unknown');
      expect(r?.message).toMatch(
        /^Cannot tell whether the launcher on spark1 can run this swap: Cannot ask which launcher version is checked out on spark1: /,
      );
      expect(cache.current()?.solo).toBe(true); // the last capabilities seen stay; the failure is not cached
    } finally {
      await c.sim.faults.nodeUp('spark1');
    }
  });
});
