// Disk benchmark (issue 12): GET /api/models/disk-status for 20 models × 16 nodes answered from the
// snapshot (target p99 ≤ 5 ms, sequential requests over real HTTP), and the snapshot refresh over
// 16 nodes against 2 nodes, measured alternately in one run (target ratio ≤ 1.5: one SSH exec per
// node, all in parallel). Each node's cache holds the 20 repos (sparse blobs) plus a few others.
// Beside wall times (which the shared 2-core machine moves a lot), the control plane's own CPU time
// (process.cpuUsage: the simulated nodes run in another process) per refresh and per request.
import Fastify from 'fastify';
import { performance } from 'node:perf_hooks';
import { diskRoutes } from '../src/server/modules/disk/routes.js';
import { DiskService } from '../src/server/modules/disk/service.js';
import { DiskSnapshot, type DiskModel } from '../src/server/modules/disk/snapshot.js';
import { JobRunner } from '../src/server/platform/jobs/runner.js';
import { sh } from '../src/server/platform/remote/sh.js';
import { modelRepo, writeHfRepo } from '../src/sim/hf-cache.js';
import { cluster } from './cluster.js';
import { percentile, round, spread, verdict } from './stats.js';

const MODELS = 20;
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
/** The clock `node --cpu-prof` stamps its samples with (µs). */
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
const NODES = 16;

export async function diskBench() {
  const c = await cluster(NODES);
  const names = c.config.nodes.map((n) => n.name);
  const models: DiskModel[] = Array.from({ length: MODELS }, (_, i) => ({
    key: `m${i}`,
    repo: `bench/model-${i}-8B`,
    path: null,
    nodes: i % 2 === 0 ? names : [names[0]!],
  }));
  for (const n of c.sim.nodes) {
    for (const m of models) writeHfRepo(n.home, modelRepo(m.repo!, 8e9, { shards: 4 }));
    for (let j = 0; j < 3; j++) writeHfRepo(n.home, modelRepo(`other/loose-${j}`, 1e9));
  }
  const snapshotOf = (nodes: string[]) =>
    new DiskSnapshot({
      nodes,
      transport: c.transport,
      models: () => models,
      nodeDown: () => null,
      intervalMs: 3_600_000,
    });
  const all = snapshotOf(names);
  const two = snapshotOf(names.slice(0, 2));
  const runner = new JobRunner({ db: c.db });
  const service = new DiskService({
    nodes: names,
    transport: c.transport,
    runner,
    snapshot: all,
    model: () => {
      throw new Error('not used');
    },
    loadedModel: () => null,
    vllmNodes: names,
    nodeDown: () => null,
    report: () => {},
  });
  const app = Fastify();
  await app.register(diskRoutes, { snapshot: all, service });
  try {
    await all.refresh(); // warm every SSH connection
    await two.refresh();
    const t16: number[] = [];
    const t2: number[] = [];
    const cpu16: number[] = [];
    const cpu2: number[] = [];
    const refreshFrom = nowUs();
    for (let i = 0; i < 7; i++) {
      for (const [snap, out, cpu] of [
        [two, t2, cpu2],
        [all, t16, cpu16],
      ] as const) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await snap.refresh(snap.nodeNames());
        out.push(performance.now() - t0);
        cpu.push(cpuMs(process.cpuUsage(c0)));
      }
    }
    // The floor on this machine: an exec of `true` on every node, measured the same way. The
    // simulated nodes share this machine's cores, so 16 of them cost more than 2 even for nothing.
    const true16: number[] = [];
    const true2: number[] = [];
    const trueCpu16: number[] = [];
    for (let i = 0; i < 7; i++) {
      for (const [nodes, out] of [
        [names.slice(0, 2), true2],
        [names, true16],
      ] as const) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await Promise.all(nodes.map((n) => c.transport.exec(n, sh`true`)));
        out.push(performance.now() - t0);
        if (nodes.length === NODES) trueCpu16.push(cpuMs(process.cpuUsage(c0)));
      }
    }
    console.log(
      `reference: control plane CPU of one exec of \`true\` on 16 nodes: p50 ${spread(trueCpu16).p50} ms`,
    );
    const floor = round(spread(true16).p50 / Math.max(1, spread(true2).p50));
    console.log(
      `reference: exec \`true\` on 16 nodes vs 2: ratio ${floor} (p50 ${spread(true16).p50} vs ${spread(true2).p50} ms)`,
    );
    const refreshTo = nowUs();
    const c16 = spread(cpu16);
    const c2 = spread(cpu2);
    console.log(
      `refresh, control plane CPU: ${NODES} nodes p50 ${c16.p50} ms (${round(c16.p50 / NODES)} ms per node), 2 nodes p50 ${c2.p50} ms; ratio ${round(c16.p50 / Math.max(0.01, c2.p50))}`,
    );
    const s16 = spread(t16);
    const s2 = spread(t2);
    const ratio = round(s16.p50 / s2.p50);
    console.log(
      `refresh: ${NODES} nodes p50 ${s16.p50} ms (min ${s16.min}), 2 nodes p50 ${s2.p50} ms (min ${s2.min}); ratio ${ratio} (target ≤ 1.5: ${verdict(ratio <= 1.5)})`,
    );

    // Reference: the same body from a route that only sends a string (this machine's HTTP floor).
    const fixed = JSON.stringify(all.modelStatus());
    app.get('/ref', async (_req, reply) => reply.type('application/json').send(fixed));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const body = await (await fetch(`${base}/api/models/disk-status`)).text();
    // Alternating requests, so both routes meet the same noise; CPU is summed per route.
    const lat: number[] = [];
    const ref: number[] = [];
    const cpuUs = { status: 0, ref: 0 };
    const statusFrom = nowUs();
    for (let i = 0; i < 4000; i++) {
      const [path, out, which] =
        i % 2 === 0 ? ['/api/models/disk-status', lat, 'status' as const] : ['/ref', ref, 'ref' as const];
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await (await fetch(`${base}${path}`)).arrayBuffer();
      if (i >= 200) out.push(performance.now() - t0);
      cpuUs[which] += cpuMs(process.cpuUsage(c0)) * 1000;
    }
    const statusTo = nowUs();
    const statusCpuUs = round(cpuUs.status / 2000);
    const refCpuUs = round(cpuUs.ref / 2000);
    console.log(
      `CPU per request (server + the bench's own client, one process): disk-status ${statusCpuUs} µs, fixed string ${refCpuUs} µs`,
    );
    console.log(
      `reference: a fixed string of the same size: p50 ${round(percentile(ref, 50))} ms, p99 ${round(percentile(ref, 99))} ms`,
    );
    console.log(
      `profile windows (µs, for cpuprofile-top): refresh ${refreshFrom}-${refreshTo}, requests ${statusFrom}-${statusTo}`,
    );
    const p99 = round(percentile(lat, 99));
    console.log(
      `GET /api/models/disk-status (${MODELS} models × ${NODES} nodes, ${body.length} bytes): p50 ${round(percentile(lat, 50))} ms, p99 ${p99} ms (target p99 ≤ 5 ms: ${verdict(p99 <= 5)})`,
    );
    return {
      refresh_ms: { nodes_16: s16, nodes_2: s2, ratio, exec_true_ratio: floor },
      refresh_cpu_ms: { nodes_16: c16, nodes_2: c2, ratio: round(c16.p50 / Math.max(0.01, c2.p50)) },
      cpu_per_request_us: { disk_status: statusCpuUs, fixed_string: refCpuUs },
      disk_status: { p50_ms: round(percentile(lat, 50)), p99_ms: p99, body_bytes: body.length },
      fixed_string: { p50_ms: round(percentile(ref, 50)), p99_ms: round(percentile(ref, 99)) },
    };
  } finally {
    await app.close();
    await runner.shutdown();
    await c.close();
  }
}
