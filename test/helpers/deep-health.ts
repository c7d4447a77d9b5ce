// Deep-health integration helpers: a test cluster whose deep_health settings come from a config
// file and whose deep-health clock the test moves by hand (cooldowns and windows crossed in ms).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeepCheckResult, DeepHealthResponse } from '../../src/common/services-api.js';
import type { JobInfo } from '../../src/common/api.js';
import { sshExecLog } from '../../src/sim/argv-log.js';
import { getJson, startTestCluster, waitFor, type TestCluster, type TestClusterOptions } from './harness.js';

export interface DeepCluster extends TestCluster {
  /** The deep-health clock (epoch ms); move it with `advance`. */
  clock: { now: number };
  advance(ms: number): void;
  /** `docker restart <container>` commands the speech node's (or head's) sshd ran so far. */
  restarts(container: string): number;
  deepHealth(): Promise<DeepHealthResponse>;
  run(service: string): Promise<{ status: number; body: DeepCheckResult }>;
  /** Waits until no auto-restart job runs and `n` have ended (any outcome). */
  restartJobsDone(n: number): Promise<JobInfo[]>;
  fault(name: string, on: boolean): Promise<void>;
}

export async function startDeepCluster(
  deep: Record<string, unknown>,
  o: TestClusterOptions = {},
): Promise<DeepCluster> {
  const cfgDir = mkdtempSync(join(tmpdir(), 'sc-deep-cfg-'));
  const file = join(cfgDir, 'config.yaml');
  // JSON is YAML: `deep_health: {}` stays a mapping when no key is set.
  writeFileSync(file, JSON.stringify({ deep_health: deep }));
  const clock = { now: Date.now() };
  const c = await startTestCluster({
    ...o,
    env: { CONFIG_FILE: file, ...o.env },
    timings: { ...o.timings, deepHealth: { now: () => clock.now } },
  });
  const simDir = join(c.dataDir, 'sim');
  const nodes = c.config.nodes.map((n) => n.name);
  const close = c.close.bind(c);
  return Object.assign(c, {
    clock,
    advance: (ms: number) => {
      clock.now += ms;
    },
    restarts: (container: string) =>
      nodes
        .flatMap((n) => sshExecLog(simDir, n))
        .filter((e) => e.command.startsWith('docker restart') && e.command.endsWith(` ${container}`)).length,
    deepHealth: async () => (await getJson<DeepHealthResponse>(`${c.url}/api/deep-health`)).body,
    run: (service: string) =>
      getJson<DeepCheckResult>(`${c.url}/api/deep-health/${service}/run`, { method: 'POST' }),
    restartJobsDone: (n: number) =>
      waitFor(async () => {
        const jobs = (await getJson<JobInfo[]>(`${c.url}/api/jobs?kind=auto-restart`)).body;
        return jobs.length === n && jobs.every((j) => j.state !== 'running') ? jobs : null;
      }),
    fault: async (name: string, on: boolean) => {
      const r = await getJson(`${c.url}/api/sim/faults/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ on }),
      });
      if (r.status !== 200) throw new Error(`fault ${name}: HTTP ${r.status}`);
    },
    close: async () => {
      await close();
      rmSync(cfgDir, { recursive: true, force: true });
    },
  });
}

/** Waits until every service has a first (startup) result, so later checks are not joined to it. */
export async function startupChecksDone(c: DeepCluster): Promise<DeepHealthResponse> {
  return waitFor(async () => {
    const s = await c.deepHealth();
    return Object.values(s.services).every((x) => x.last !== null) ? s : null;
  });
}
