// Shared by the services integration tests: a cluster with the matrix-bridge bot configured and a
// fast services poll, and small readers for the services list and jobs.
import type { JobInfo } from '../../src/common/api.js';
import type { ServiceInfo, ServicesResponse } from '../../src/common/services-api.js';
import { sshExecLog } from '../../src/sim/argv-log.js';
import { join } from 'node:path';
import {
  getJson,
  startTestCluster,
  waitFor,
  type TestCluster,
  type TestClusterOptions,
} from '../helpers/harness.js';

export type Err = { error: { code: string; message: string } };

export const startServicesCluster = (o: Pick<TestClusterOptions, 'timings'> = {}) =>
  startTestCluster({
    env: { MATRIX_BRIDGE_USER: 'spark' },
    timings: { servicesIntervalMs: 250, ...o.timings },
  });

export const services = async (c: TestCluster) =>
  (await getJson<ServicesResponse>(`${c.url}/api/services`)).body.services;

export const service = async (c: TestCluster, name: string): Promise<ServiceInfo> => {
  const s = (await services(c)).find((x) => x.name === name);
  if (!s) throw new Error(`no service ${name}`);
  return s;
};

export const waitService = (
  c: TestCluster,
  name: string,
  ok: (s: ServiceInfo) => boolean,
  timeoutMs = 20_000,
) =>
  waitFor(async () => {
    const s = await service(c, name);
    return ok(s) ? s : null;
  }, timeoutMs);

export const act = (c: TestCluster, name: string, action: string) =>
  getJson<{ job_id: string } & Partial<Err>>(`${c.url}/api/services/${name}/${action}`, { method: 'POST' });

export const jobDone = (c: TestCluster, id: string, timeoutMs = 30_000) =>
  waitFor(async () => {
    const j = (await getJson<JobInfo & { log_tail: string[] }>(`${c.url}/api/jobs/${id}`)).body;
    return j.state === 'running' ? null : j;
  }, timeoutMs);

/** Commands the node's sshd ran since `since` (ISO time). */
export const execsSince = (c: TestCluster, node: string, since: string) =>
  sshExecLog(join(c.dataDir, 'sim'), node).filter((e) => e.ts >= since);

/** Polls until job `id` is in `phase` (where a test cuts it off). */
export const phaseIs = (c: TestCluster, id: string, phase: string) =>
  waitFor(async () => (await getJson<JobInfo>(`${c.url}/api/jobs/${id}`)).body.phase === phase, 60_000, 20);

/**
 * A `restart` of service `name` cut off by a control-plane restart: its node is slowed so the job
 * is still restarting the container when the control plane goes, so the job ends `interrupted`.
 * `whileRunning` runs before the cut. Returns the job's id.
 */
export async function interruptedRestart(
  c: TestCluster,
  name: string,
  whileRunning: (id: string) => Promise<void> = async () => undefined,
): Promise<string> {
  await waitService(c, name, (s) => s.docker_state === 'running');
  const node = (await service(c, name)).node;
  c.sim.faults.setLatency(node, 1500);
  const started = await act(c, name, 'restart');
  if (started.status !== 202) throw new Error(`restart of ${name}: HTTP ${started.status}`);
  const id = started.body.job_id;
  await phaseIs(c, id, `Restarting ${name}`);
  await whileRunning(id);
  await c.restart();
  c.sim.faults.setLatency(node, 0);
  return id;
}
