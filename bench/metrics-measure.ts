// Timing helpers shared by the metrics benchmark's two processes (bench/metrics.ts, the scraper,
// and bench/metrics-server.ts, the server): per-call wall and CPU, the process's CPU over a phase
// and the event-loop lag meanwhile.
import {
  constants,
  type IntervalHistogram,
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
} from 'node:perf_hooks';
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

/**
 * This process's CPU, event-loop lag and garbage-collection pauses from now until `end()`. The GC
 * pauses say whether a slow request waited on the collector (a major GC's final pause lands on
 * whichever request is running) or on something else.
 */
export function processPhase() {
  const lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const minor: number[] = [];
  const major: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      (kind === constants.NODE_PERFORMANCE_GC_MAJOR ? major : minor).push(e.duration);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  const c0 = process.cpuUsage();
  return {
    end() {
      const process_cpu_ms = cpuMs(process.cpuUsage(c0));
      lag.disable();
      gc.disconnect();
      const sum = (xs: number[]) => ms(xs.reduce((a, b) => a + b, 0));
      return {
        process_cpu_ms,
        event_loop_lag_p99_ms: ms(lag.percentile(99) / 1e6),
        gc: {
          minor: minor.length,
          minor_ms: sum(minor),
          minor_max_ms: ms(Math.max(0, ...minor)),
          major: major.length,
          major_ms: sum(major),
          major_max_ms: ms(Math.max(0, ...major)),
        },
      };
    },
  };
}
