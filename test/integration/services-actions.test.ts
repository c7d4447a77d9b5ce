// Service cards over the simulated cluster: the list from the background snapshot, start/stop/
// restart as jobs with their 409s (pointless for the state, or another action holds the
// container), two actions racing, a node down (unknown, nothing attempted) and hostile names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import { getJson, WATCHING_HARDWARE, type TestCluster } from '../helpers/harness.js';
import {
  act,
  execsSince,
  jobDone,
  service,
  services,
  startServicesCluster,
  waitService,
  type Err,
} from './services-helpers.js';

describe('services', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startServicesCluster({ timings: WATCHING_HARDWARE });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('lists the speech services and the matrix-bridge bot with docker state, health and models', async () => {
    const parakeet = await waitService(c, 'parakeet', (s) => s.health === 'healthy');
    expect(parakeet).toMatchObject({
      kind: 'asr',
      api: 'parakeet-app',
      node: 'spark2',
      host: '127.0.0.1',
      container: 'parakeet-asr',
      docker_state: 'running',
      restart_count: 0,
      custom: false,
      job: null,
      error: null,
    });
    expect(parakeet.base_url).toBe(c.sim.speech.parakeet.url);
    expect(parakeet.models).toContain('nvidia/parakeet-tdt-0.6b-v2');
    expect(Date.parse(parakeet.started_at ?? '')).toBeLessThan(Date.now());
    const magpie = await waitService(c, 'magpie', (s) => s.health === 'healthy');
    expect(magpie).toMatchObject({ kind: 'tts', api: 'nim', docker_state: 'running' });
    const bot = await service(c, 'matrix-bridge');
    expect(bot).toMatchObject({
      kind: 'bot',
      health: null,
      base_url: null,
      docker_state: 'running',
      container: 'matrix-bridge',
    });
  });

  it('unknown service → 404 JSON; hostile names → 400 before any SSH', async () => {
    const r = await act(c, 'whisper', 'restart');
    expect(r.status).toBe(404);
    expect(r.body.error?.code).toBe('NOT_FOUND');
    const since = new Date().toISOString();
    for (const name of ['x%3Bid', '.hidden', '%24(id)', 'A%20b', 'a'.repeat(80), '%60reboot%60']) {
      const bad = await act(c, name, 'restart');
      expect(bad.status, name).toBe(400);
      expect(bad.body.error?.code).toBe('INVALID_INPUT');
      const logs = await fetch(`${c.url}/api/services/${name}/logs/stream`);
      expect(logs.status).toBe(400);
    }
    expect((await act(c, 'parakeet', 'explode')).status).toBe(400);
    expect(execsSince(c, 'spark2', since).filter((e) => /reboot|\bid\b/.test(e.command))).toEqual([]);
  });

  it('stop → exited; stop again 409; start → running; start again 409', async () => {
    const stop = await act(c, 'magpie', 'stop');
    expect(stop.status).toBe(202);
    const job = await jobDone(c, stop.body.job_id);
    expect(job).toMatchObject({
      kind: 'service-action',
      state: 'succeeded',
      locks: ['container:spark2:magpie-tts'],
    });
    expect(job.log_tail.join('\n')).toMatch(/docker stop magpie-tts/);
    // The job refreshed the snapshot before it released the lock: the next answer already knows.
    const stopped = await service(c, 'magpie');
    expect(stopped.docker_state).toBe('exited');
    expect(stopped.health).toBe('unhealthy');
    const again = await act(c, 'magpie', 'stop');
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toMatch(/not running/);

    const start = await act(c, 'magpie', 'start');
    expect(start.status).toBe(202);
    expect((await jobDone(c, start.body.job_id)).state).toBe('succeeded');
    expect((await service(c, 'magpie')).docker_state).toBe('running');
    const twice = await act(c, 'magpie', 'start');
    expect(twice.status).toBe(409);
    expect(twice.body.error?.message).toMatch(/already running/);
    await waitService(c, 'magpie', (s) => s.health === 'healthy');
  });

  it("restart takes a new StartedAt (RestartCount is docker's policy count, unchanged); the card names the running job", async () => {
    const before = await service(c, 'parakeet');
    const r = await act(c, 'parakeet', 'restart');
    expect(r.status).toBe(202);
    let job: JobInfo | null = null;
    while (!job) {
      const s = await service(c, 'parakeet');
      if (s.job) expect(s.job.id).toBe(r.body.job_id);
      const j = (await getJson<JobInfo>(`${c.url}/api/jobs/${r.body.job_id}`)).body;
      if (j.state !== 'running') job = j;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(job.state).toBe('succeeded');
    const after = await service(c, 'parakeet');
    expect(after.restart_count).toBe(before.restart_count);
    expect(after.started_at).not.toBe(before.started_at);
    expect(after.docker_state).toBe('running');
    await waitService(c, 'parakeet', (s) => s.health === 'healthy');
  });

  it('two actions racing on one container: one job, the other 409 naming it', async () => {
    const [a, b] = await Promise.all([act(c, 'parakeet', 'restart'), act(c, 'parakeet', 'stop')]);
    const ok = [a, b].filter((x) => x.status === 202);
    const refused = [a, b].filter((x) => x.status === 409);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.body.error?.message).toContain(ok[0]?.body.job_id ?? '-');
    await jobDone(c, ok[0]!.body.job_id);
    // Leave it running for the next test.
    const s = await service(c, 'parakeet');
    if (s.docker_state === 'exited') await jobDone(c, (await act(c, 'parakeet', 'start')).body.job_id);
    await waitService(c, 'parakeet', (x) => x.docker_state === 'running');
  });

  it('a node down: its services are unknown with its error, and no action is attempted', async () => {
    await c.sim.faults.nodeDown('spark2');
    try {
      const down = await waitService(c, 'magpie', (s) => s.docker_state === 'unknown');
      expect(down.error).toMatch(/spark2/);
      expect(down.health).toBe('unknown');
      const all = await services(c);
      for (const s of all.filter((x) => x.node === 'spark2')) expect(s.docker_state).toBe('unknown');
      const since = new Date().toISOString();
      const r = await act(c, 'magpie', 'restart');
      expect(r.status).toBe(409);
      expect(r.body.error?.message).toMatch(/unknown.*nothing was attempted/);
      const logs = await getJson<Err>(`${c.url}/api/services/magpie/logs/stream`);
      expect(logs.status).toBe(503);
      const upd = await getJson<Err>(`${c.url}/api/matrix-bridge/update`, { method: 'POST' });
      expect(upd.status).toBe(409);
      expect(execsSince(c, 'spark2', since)).toEqual([]);
    } finally {
      await c.sim.faults.nodeUp('spark2');
    }
    await waitService(c, 'magpie', (s) => s.docker_state === 'running', 30_000);
  });
});
