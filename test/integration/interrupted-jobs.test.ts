// A control plane restarted in the middle of work on a container, on the simulator over real SSH:
// the job ends `interrupted` and what it left stays explained — on the card (`last_job` of GET
// /api/services), on the patches panel (GET /api/speech-models) and, for a NIM install that never
// became a card, in GET /api/nim/installs, where the owner registers or removes the container.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import type {
  LastJobInfo,
  NimInstallsResponse,
  SpeechModelsResponse,
} from '../../src/common/services-api.js';
import { raw } from '../../src/server/platform/remote/sh.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { freePort, SIM_NGC_KEY } from './nim-helpers.js';
import {
  act,
  interruptedRestart,
  jobDone,
  phaseIs as phaseIsOf,
  service,
  services,
  waitService,
  type Err,
} from './services-helpers.js';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ env: { NGC_API_KEY: SIM_NGC_KEY }, timings: { servicesIntervalMs: 250 } });
});
afterAll(async () => c?.close());

const post = <T>(path: string, body?: unknown) =>
  getJson<T & Partial<Err>>(`${c.url}${path}`, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
const installs = async () => (await getJson<NimInstallsResponse>(`${c.url}/api/nim/installs`)).body.installs;
const speechModels = async () => (await getJson<SpeechModelsResponse>(`${c.url}/api/speech-models`)).body;
const phaseIs = (id: string, phase: string) => phaseIsOf(c, id, phase);
const containers = async (node: string) =>
  (await c.transport.exec(node, raw('docker ps -a --format "{{.Names}}"'), { timeoutMs: 15_000 })).stdout;

/** Starts an install on spark2 and restarts the control plane once it waits for the NIM to be ready. */
async function installCutOff(container: string): Promise<{ id: string; port: number }> {
  const port = await freePort();
  const res = await post<{ job_id: string }>('/api/nim/install', {
    image: 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest',
    container,
    port,
    volume: `${container}-cache`,
    node: 'spark2',
    kind: 'asr',
  });
  expect(res.status).toBe(202);
  const id = res.body.job_id;
  await phaseIs(id, 'Waiting for /v1/health/ready');
  await c.restart();
  return { id, port };
}

describe('NIM installs cut off by a restart', { timeout: 120_000 }, () => {
  it('is listed with its running container until the owner registers it; then it is a card', async () => {
    const { id, port } = await installCutOff('cut-nim');
    const [notice, ...others] = await installs();
    expect(others).toEqual([]);
    expect(notice).toMatchObject({
      container: 'cut-nim',
      node: 'spark2',
      port,
      image: 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest',
      container_state: 'running',
      job: { id, kind: 'nim-install', state: 'interrupted', phase: 'Waiting for /v1/health/ready' },
    });
    expect(notice?.job.what).toBe(
      'The install of nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest as cut-nim',
    );
    expect(notice?.job.reason).toMatch(/control plane restarted/);
    expect(notice?.job.advice).toMatch(
      /cut-nim was created and keeps running .* not registered as a service/,
    );
    expect(notice?.job.advice).toMatch(/cut-nim is running now/);
    expect((await services(c)).map((s) => s.name)).not.toContain('cut-nim');

    // The job's whole log, as the notice's link opens it.
    const log = await fetch(`${c.url}/api/jobs/${id}/log`);
    expect(log.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await log.text();
    expect(text.split('\n')[0]).toBe(`job ${id} (nim-install): interrupted — ${notice?.job.reason}`);
    expect(text).toContain('== Waiting for /v1/health/ready');
    expect(text).toContain('container cut-nim is left as it is on spark2');

    const reg = await post<{ service: string; job: JobInfo }>(`/api/nim/installs/${id}/register`);
    expect(reg.status).toBe(200);
    expect(reg.body).toMatchObject({ service: 'cut-nim', job: { kind: 'nim-register', state: 'succeeded' } });
    const card = await service(c, 'cut-nim');
    expect(card).toMatchObject({ kind: 'asr', api: 'nim', node: 'spark2', custom: true, last_job: null });
    expect(card.base_url).toMatch(new RegExp(`:${port}$`));
    expect(await installs()).toEqual([]);
    const again = await post(`/api/nim/installs/${id}/register`);
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toMatch(/nothing left to settle/);

    const del = await getJson(`${c.url}/api/services/cut-nim?remove_container=1`, { method: 'DELETE' });
    expect(del.status).toBe(200);
  });

  it('remove takes the stray container off the node and the notice goes', async () => {
    const { id } = await installCutOff('gone-nim');
    expect((await installs()).map((i) => i.job.id)).toEqual([id]);
    expect(await containers('spark2')).toContain('gone-nim');

    const rm = await post<{ job: JobInfo }>(`/api/nim/installs/${id}/remove`);
    expect(rm.status).toBe(200);
    expect(rm.body.job).toMatchObject({ kind: 'nim-remove', state: 'succeeded' });
    expect(await containers('spark2')).not.toContain('gone-nim');
    expect(await installs()).toEqual([]);
    expect((await post(`/api/nim/installs/${id}/remove`)).status).toBe(409);
  });

  it('answers 404 for a job that is not an install and 400 for a malformed id', async () => {
    const missing = await post('/api/nim/installs/0123456789abcdef0123456789abcdef/register');
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe('NOT_FOUND');
    const bad = await post('/api/nim/installs/..%2Fetc/remove');
    expect(bad.status).toBe(400);
  });
});

describe('service work cut off by a restart', { timeout: 150_000 }, () => {
  it('an interrupted restart stays on the card with the state it left, until the next action', async () => {
    const id = await interruptedRestart(c, 'magpie');
    const card = await waitService(c, 'magpie', (s) => s.last_job !== null && s.docker_state === 'running');
    expect(card.job).toBeNull();
    expect(card.last_job).toMatchObject<Partial<LastJobInfo>>({
      id,
      kind: 'service-action',
      state: 'interrupted',
      what: 'The restart of magpie',
      phase: 'Restarting magpie',
    });
    expect(card.last_job?.advice).toMatch(
      /docker restart may not have finished\. magpie\S* is running now\./,
    );

    const next = await act(c, 'magpie', 'restart');
    expect((await jobDone(c, next.body.job_id)).state).toBe('succeeded');
    expect((await service(c, 'magpie')).last_job).toBeNull();
  });

  it('an interrupted reapply: the patches panel and the Parakeet card explain it; the next reapply clears it', async () => {
    c.sim.faults.parakeetUpgrade(true);
    c.sim.faults.setLatency('spark2', 400);
    const started = await post<{ job_id: string }>('/api/speech-models/reapply');
    expect(started.status).toBe(202);
    const id = started.body.job_id;
    await waitFor(async () => {
      const j = (await getJson<JobInfo>(`${c.url}/api/jobs/${id}`)).body;
      return j.phase === 'backup';
    }, 60_000);
    await c.restart();
    c.sim.faults.setLatency('spark2', 0);

    const panel = await speechModels();
    expect(panel.job).toBeNull();
    expect(panel.last_job).toMatchObject({
      id,
      kind: 'patch-reapply',
      state: 'interrupted',
      what: 'The reapply of the speech-model patches',
    });
    // Cut off after the backup or the copy: either way the container was not restarted.
    expect(panel.last_job?.advice).toMatch(/not restarted|was not restarted/);
    expect(panel.last_job?.advice).toMatch(/Reapply again/);
    const card = await waitService(c, 'parakeet', (s) => s.last_job !== null && s.docker_state === 'running');
    expect(card.last_job).toMatchObject({ id, kind: 'patch-reapply', state: 'interrupted' });
    expect(card.last_job?.advice).toBe(panel.last_job?.advice);

    const again = await post<{ ok: boolean }>('/api/speech-models/reapply?wait=1');
    expect(again.body.ok).toBe(true);
    expect((await speechModels()).last_job).toBeNull();
    expect((await service(c, 'parakeet')).last_job).toBeNull();
  });
});
