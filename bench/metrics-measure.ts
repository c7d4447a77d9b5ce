// Timing helpers shared by the metrics benchmark's two processes (bench/metrics.ts, the scraper,
// and bench/metrics-server.ts, the server): per-call wall and CPU, the process's CPU over a phase
// and the event-loop lag meanwhile.
import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { percentile, round } from './stats.js';

export const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const ms = (v: number) => round(v, 3);

/** Wall and CPU of each call of `fn` (`before` runs untimed first), and the event-loop lag meanwhile. */
export async function measure(
  runs: number,
  fn: () => Promise<unknown>,
  o: { before?: () => void; pauseMs?: number } = {},
) {
  const wall: number[] = [];
  const cpu: number[] = [];
  const phase = processPhase();
  let untimedCpu = 0;
  for (let i = 0; i < runs; i++) {
    if (o.before) {
      const b0 = process.cpuUsage();
      o.before();
      untimedCpu += cpuMs(process.cpuUsage(b0));
    }
    const u0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    cpu.push(cpuMs(process.cpuUsage(u0)));
    if (o.pauseMs) await sleep(o.pauseMs);
  }
  const { process_cpu_ms, event_loop_lag_p99_ms } = phase.end();
  return {
    wall_p50_ms: ms(percentile(wall, 50)),
    wall_p99_ms: ms(percentile(wall, 99)),
    cpu_p50_ms: ms(percentile(cpu, 50)),
    cpu_p99_ms: ms(percentile(cpu, 99)),
    /** Everything this process burned over the phase (minus `before`) per call. */
    process_cpu_ms_per_call: ms((process_cpu_ms - untimedCpu) / runs),
    event_loop_lag_p99_ms,
  };
}
export type Measured = Awaited<ReturnType<typeof measure>>;

/** This process's CPU and event-loop lag from now until `end()`. */
export function processPhase() {
  const lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const c0 = process.cpuUsage();
  return {
    end() {
      const process_cpu_ms = cpuMs(process.cpuUsage(c0));
      lag.disable();
      return { process_cpu_ms, event_loop_lag_p99_ms: ms(lag.percentile(99) / 1e6) };
    },
  };
}
