// Disk inventory and guarded delete (SPEC §6, issue 12 items 2–3) end to end: the real server over
// real SSH to the simulator, whose nodes hold a real HF cache written by src/sim/hf-cache.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectivityResponse, ModelsResponse, StatusResponse, SwapInfo } from '../../src/common/api.js';
import type { DiskDeleteResponse, DiskResponse, DiskStatusResponse } from '../../src/common/disk-api.js';
import { sshExecLog } from '../../src/sim/argv-log.js';
import { hubDir, modelRepo, writeHfRepo } from '../../src/sim/hf-cache.js';
import {
  getJson,
  startTestCluster,
  waitFor,
  type TestCluster,
  WATCHING_HARDWARE,
} from '../helpers/harness.js';

type Err = { error: { code: string; message: string } };
const GB = 1_000_000_000;
const GEMMA = 'nvidia/Gemma-4-26B-A4B-NVFP4';
const QWEN36 = 'nvidia/Qwen3.6-35B-A3B-NVFP4';
const BIG = 'RedHatAI/Qwen3-235B-A22B-Instruct-2507-NVFP4';
const LOOSE = 'someone/uncatalogued-7B';

describe('disk inventory and guarded delete', () => {
  let c: TestCluster;
  const home = (node: string) => c.sim.nodes.find((n) => n.name === node)!.home;
  const send = <T>(method: string, path: string, body?: unknown) =>
    getJson<T>(`${c.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  const refresh = () => send<DiskResponse>('POST', '/api/disk/refresh');
  const status = async () => (await send<DiskStatusResponse>('GET', '/api/models/disk-status')).body;
  const on = (s: DiskStatusResponse, key: string, node: string) =>
    s.models.find((m) => m.key === key)!.nodes.find((n) => n.node === node)!;

  beforeAll(async () => {
    c = await startTestCluster({ speed: 0.03, timings: WATCHING_HARDWARE });
    writeHfRepo(home('spark1'), modelRepo(GEMMA, 18 * GB));
    writeHfRepo(home('spark1'), modelRepo(QWEN36, 23 * GB, { incomplete: true }));
    writeHfRepo(home('spark1'), modelRepo(BIG, 66 * GB, { shards: 4 }));
    writeHfRepo(home('spark2'), modelRepo(BIG, 66 * GB, { shards: 4 }));
    writeHfRepo(home('spark2'), modelRepo(LOOSE, 7 * GB));
    mkdirSync(join(home('spark1'), 'finetunes', 'mine'), { recursive: true });
    writeFileSync(join(home('spark1'), 'finetunes', 'mine', 'config.json'), '{}');
    const added = await send('POST', '/api/models', {
      key: 'my-finetune',
      display_name: 'My fine-tune',
      path: '~/finetunes/mine',
      size_gb: 8,
      mode: 'solo',
    });
    expect(added.status).toBe(201);
    await waitFor(async () => (await send<StatusResponse>('GET', '/api/status')).body.vllm.model !== null);
    expect((await refresh()).status).toBe(200);
  });
  afterAll(async () => c?.close());

  it('lists complete, incomplete, missing and path models per node with apparent sizes', async () => {
    const s = await status();
    expect(on(s, 'gemma4-26b-a4b', 'spark1')).toMatchObject({
      state: 'present',
      present: true,
      complete: true,
      needed: true,
    });
    expect(on(s, 'gemma4-26b-a4b', 'spark1').bytes).toBeGreaterThanOrEqual(18 * GB);
    expect(on(s, 'gemma4-26b-a4b', 'spark2')).toMatchObject({
      state: 'missing',
      present: false,
      bytes: 0,
      needed: false,
    });
    expect(on(s, 'qwen3.6-35b-a3b', 'spark1')).toMatchObject({
      state: 'incomplete',
      present: true,
      complete: false,
    });
    expect(on(s, 'qwen3-235b-a22b', 'spark1')).toMatchObject({ state: 'present', needed: true });
    expect(on(s, 'qwen3-235b-a22b', 'spark2')).toMatchObject({ state: 'present', needed: true });
    expect(on(s, 'my-finetune', 'spark1')).toMatchObject({ state: 'present', complete: true });
    expect(on(s, 'my-finetune', 'spark2')).toMatchObject({ state: 'missing' });
  });

  it('lists every cached repo per node, uncatalogued ones too, with free space', async () => {
    const d = (await send<DiskResponse>('GET', '/api/disk')).body;
    const spark2 = d.nodes.find((n) => n.node === 'spark2')!;
    expect(spark2.ok).toBe(true);
    expect(spark2.repos.find((r) => r.repo === LOOSE)).toMatchObject({ complete: true, catalog_keys: [] });
    expect(spark2.repos.find((r) => r.repo === BIG)?.catalog_keys).toEqual(['qwen3-235b-a22b']);
    expect(spark2.root!.free_bytes).toBeGreaterThan(0);
    expect(spark2.hf_cache!.total_bytes).toBeGreaterThanOrEqual(spark2.hf_cache!.free_bytes);
  });

  it('refuses the loaded model, a path model and hostile names (400 before any SSH)', async () => {
    const loaded = (await send<ModelsResponse>('GET', '/api/models')).body.loaded_key!;
    const r1 = await send<Err>('DELETE', `/api/models/${loaded}/disk`);
    expect(r1.status).toBe(409);
    expect(r1.body.error.message).toMatch(/loaded model/);
    const r2 = await send<Err>('DELETE', '/api/models/my-finetune/disk');
    expect(r2.status).toBe(400);
    expect(r2.body.error.message).toMatch(/never deletes your own directories/);
    expect(existsSync(join(home('spark1'), 'finetunes', 'mine'))).toBe(true);
    expect((await send<Err>('DELETE', '/api/models/no-such-model/disk')).status).toBe(404);

    const before = sshExecLog(join(c.dataDir, 'sim'), 'spark2').length;
    for (const [org, name] of [
      ['someone', 'a--b'],
      ['a..b', 'x'],
      ['someone', '%2F..%2F..%2Fetc'],
      ['someone', '%24(id)'],
      ['someone', 'x%3Brm%20-rf%20~'],
      ['-rf', 'x'],
      ['someone', 'x%0Ay'],
    ]) {
      const r = await send<Err>('DELETE', `/api/disk/spark2/${org}/${name}`);
      expect(r.status, `${org}/${name}`).toBe(400);
      expect(r.body.error.code).toMatch(/INVALID_INPUT|BAD_REQUEST|VALIDATION_FAILED/);
    }
    expect((await send<Err>('DELETE', `/api/disk/spark9/someone/x`)).status).toBe(404);
    const commands = sshExecLog(join(c.dataDir, 'sim'), 'spark2')
      .slice(before)
      .map((e) => e.command);
    expect(commands.filter((cmd) => cmd.includes('rm -rf'))).toEqual([]);
    expect(existsSync(join(hubDir(home('spark2')), 'models--someone--uncatalogued-7B'))).toBe(true);
  });

  it('deletes a model from the nodes that hold it, says what it freed, logs it and refreshes', async () => {
    const r = await send<DiskDeleteResponse>('DELETE', '/api/models/gemma4-26b-a4b/disk');
    expect(r.status).toBe(200);
    expect(r.body.nodes).toEqual([
      { node: 'spark1', ok: true, existed: true, freed_bytes: expect.any(Number), error: null },
    ]);
    expect(r.body.freed_bytes).toBeGreaterThanOrEqual(18 * GB);
    expect(existsSync(join(hubDir(home('spark1')), 'models--nvidia--Gemma-4-26B-A4B-NVFP4'))).toBe(false);
    expect(on(await status(), 'gemma4-26b-a4b', 'spark1')).toMatchObject({ state: 'missing' });
    const models = (await send<ModelsResponse>('GET', '/api/models')).body.models;
    expect(models.some((m) => m.key === 'gemma4-26b-a4b')).toBe(true);
    const log = (await send<ConnectivityResponse>('GET', '/api/connectivity')).body;
    const ev = log.events.find((e) => e.source === 'disk-delete' && e.subject === 'spark1');
    expect(ev).toMatchObject({ kind: 'report', ok: true });
    expect(ev?.error).toMatch(/deleted nvidia\/Gemma-4-26B-A4B-NVFP4 .*freed 18\.0 GB/);
    expect((await send<Err>('DELETE', '/api/models/gemma4-26b-a4b/disk')).status).toBe(404);
  });

  it('two deletes racing for one repo: one frees it, the other is refused or finds nothing', async () => {
    const [a, b] = await Promise.all([
      send<DiskDeleteResponse | Err>('DELETE', `/api/disk/spark2/${LOOSE}`),
      send<DiskDeleteResponse | Err>('DELETE', `/api/disk/spark2/${LOOSE}`),
    ]);
    const codes = [a.status, b.status].sort();
    expect(codes[0]).toBe(200);
    expect([404, 409]).toContain(codes[1]);
    expect(existsSync(join(hubDir(home('spark2')), 'models--someone--uncatalogued-7B'))).toBe(false);
    const d = (await send<DiskResponse>('GET', '/api/disk')).body;
    expect(d.nodes.find((n) => n.node === 'spark2')!.repos.some((r) => r.repo === LOOSE)).toBe(false);
  });

  it('a node that is down is unknown with its error, never missing', async () => {
    await c.sim.faults.nodeDown('spark2');
    try {
      await refresh();
      const s = await status();
      const big = on(s, 'qwen3-235b-a22b', 'spark2');
      expect(big).toMatchObject({ state: 'unknown', present: null, bytes: null });
      expect(big.error).toMatch(/spark2/);
      expect(on(s, 'qwen3-235b-a22b', 'spark1').state).toBe('present');
      const d = (await send<DiskResponse>('GET', '/api/disk')).body;
      expect(d.nodes.find((n) => n.node === 'spark2')).toMatchObject({ ok: false, repos: [] });
      // A cluster model's delete on a half-down cluster: spark1's part runs, spark2's fails.
      const r = await send<DiskDeleteResponse>('DELETE', '/api/models/qwen3-235b-a22b/disk');
      expect(r.status).toBe(200);
      const byNode = Object.fromEntries(r.body.nodes.map((n) => [n.node, n]));
      expect(byNode.spark1).toMatchObject({ ok: true, existed: true });
      expect(byNode.spark2).toMatchObject({ ok: false, freed_bytes: 0 });
      expect(
        existsSync(join(hubDir(home('spark2')), 'models--RedHatAI--Qwen3-235B-A22B-Instruct-2507-NVFP4')),
      ).toBe(true);
    } finally {
      await c.sim.faults.nodeUp('spark2');
    }
    await waitFor(async () => {
      await refresh();
      return on(await status(), 'qwen3-235b-a22b', 'spark2').state === 'present';
    });
  });

  it('refuses while a swap runs on the node, naming it', async () => {
    writeHfRepo(home('spark1'), modelRepo(GEMMA, 18 * GB));
    await refresh();
    const swap = await send<{ id: string }>('POST', '/api/swap', { key: 'gpt-oss-120b' });
    expect(swap.status).toBeLessThan(300);
    const r = await send<Err>('DELETE', '/api/models/gemma4-26b-a4b/disk');
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/swap/i);
    expect(r.body.error.message).toContain(swap.body.id);
    expect(existsSync(join(hubDir(home('spark1')), 'models--nvidia--Gemma-4-26B-A4B-NVFP4'))).toBe(true);
    await waitFor(async () => {
      const s = (await send<SwapInfo>('GET', `/api/swap/${swap.body.id}`)).body;
      return ['ready', 'failed', 'cancelled'].includes(s.state);
    }, 60_000);
  });
});
