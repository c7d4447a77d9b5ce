// Figures, ratios, verdicts and the printed tables of the gateway benchmark (bench/gateway.ts).
import type { StreamResult } from './gateway-load.js';
import { percentile, round, verdict } from './stats.js';

export type TargetName =
  | 'direct'
  | 'gateway'
  | 'nginx'
  | 'baseline'
  | 'raw_http'
  | 'raw_undici'
  | 'raw_framed'
  | 'raw_dispatch'
  | 'raw_splice';

/** What one target's batches cost at one level (measured by bench/gateway.ts). */
export interface Tally {
  streams: StreamResult[];
  wallMs: number;
  /** CPU seconds of the relaying process during this target's batches (direct: the fake vLLM). */
  relayCpuS: number;
  /** The user-space part of relayCpuS (the rest is the kernel's: socket reads and writes). */
  relayUserS: number;
  /** CPU seconds of the fake vLLM during this target's batches. */
  vllmCpuS: number;
  /** CPU seconds of the control plane during this target's batches. */
  controlPlaneCpuS: number;
}
export interface LevelResult {
  level: { name: string; concurrency: number; busy?: boolean };
  tally: Partial<Record<TargetName, Tally>>;
}

interface Figures {
  streams: number;
  errors: number;
  short_streams: number;
  ttft_p50_ms: number;
  ttft_p99_ms: number;
  /** Mean over streams of content chunks ÷ stream duration. */
  tokens_per_s_per_stream: number;
  /** All content chunks of all batches ÷ the batches' wall time. */
  tokens_per_s_aggregate: number;
  /** SSE events the clients received (the chunks relayed). */
  chunks: number;
  /** User+sys CPU of the relaying process (direct: the fake vLLM) per 1,000 chunks. */
  relay_cpu_s_per_1000_chunks: number;
  /** Its user-space part (the rest is system time: the kernel's socket work). */
  relay_user_cpu_s_per_1000_chunks: number;
  /** The fake vLLM's CPU per 1,000 chunks (the same work for every target: a control). */
  vllm_cpu_s_per_1000_chunks: number;
  /** Gateway only: after subtracting the control plane's background CPU rate. */
  relay_cpu_s_per_1000_chunks_net?: number;
}

function figures(x: Tally, maxTokens: number, backgroundCpuPerS?: number): Figures {
  const good = x.streams.filter((s) => !s.error && s.tokens === maxTokens);
  const ttfts = good.map((s) => s.ttftMs);
  const rates = good.map((s) => s.tokens / (s.durationMs / 1000));
  const tokens = x.streams.reduce((n, s) => n + s.tokens, 0);
  const chunks = x.streams.reduce((n, s) => n + s.events, 0);
  const per1000 = (cpu: number) => round((cpu / chunks) * 1000, 4);
  return {
    streams: x.streams.length,
    errors: x.streams.filter((s) => s.error).length,
    short_streams: x.streams.filter((s) => !s.error && s.tokens !== maxTokens).length,
    ttft_p50_ms: round(percentile(ttfts, 50)),
    ttft_p99_ms: round(percentile(ttfts, 99)),
    tokens_per_s_per_stream: round(rates.reduce((a, b) => a + b, 0) / rates.length, 1),
    tokens_per_s_aggregate: round(tokens / (x.wallMs / 1000), 0),
    chunks,
    relay_cpu_s_per_1000_chunks: per1000(x.relayCpuS),
    relay_user_cpu_s_per_1000_chunks: per1000(x.relayUserS),
    vllm_cpu_s_per_1000_chunks: per1000(x.vllmCpuS),
    ...(backgroundCpuPerS !== undefined
      ? { relay_cpu_s_per_1000_chunks_net: per1000(x.relayCpuS - backgroundCpuPerS * (x.wallMs / 1000)) }
      : {}),
  };
}

const pad = (v: unknown, n: number) => String(v).padStart(n);
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? null : round(a / b, 3);

export function report(levels: LevelResult[], maxTokens: number, firstError: string[]) {
  const results: Record<
    string,
    Partial<Record<TargetName, Figures>> & { control_plane_background_cpu_per_s?: number }
  > = {};
  for (const { level, tally } of levels) {
    // The control plane's CPU while it relays nothing (direct and nginx batches): its samplers.
    const idle = (['direct', 'nginx'] as const).flatMap((t) => (tally[t] ? [tally[t]] : []));
    const idleWall = idle.reduce((n, x) => n + x.wallMs, 0) / 1000;
    const background = idleWall > 0 ? idle.reduce((n, x) => n + x.controlPlaneCpuS, 0) / idleWall : undefined;
    const f: Partial<Record<TargetName, Figures>> = {};
    for (const t of [
      'direct',
      'gateway',
      'nginx',
      'baseline',
      'raw_http',
      'raw_undici',
      'raw_framed',
      'raw_dispatch',
      'raw_splice',
    ] as const) {
      const x = tally[t];
      if (x) f[t] = figures(x, maxTokens, t === 'gateway' ? (background ?? 0) : undefined);
    }
    results[level.name] = {
      ...f,
      ...(background !== undefined ? { control_plane_background_cpu_per_s: round(background, 4) } : {}),
    };
  }

  const comparison = levels.map(({ level }) => {
    const f = results[level.name]!;
    const { direct: d, gateway: g, nginx: n, baseline: b, raw_http: rh, raw_undici: ru, raw_framed: rf } = f;
    const rd = f.raw_dispatch;
    const rs = f.raw_splice;
    const added = (x?: Figures, p: 'ttft_p50_ms' | 'ttft_p99_ms' = 'ttft_p99_ms') =>
      x && d ? round(x[p] - d[p]) : null;
    return {
      level: level.name,
      concurrency: level.concurrency,
      busy: level.busy === true,
      added_ttft_ms: {
        gateway_p50: added(g, 'ttft_p50_ms'),
        gateway_p99: added(g),
        nginx_p50: added(n, 'ttft_p50_ms'),
        nginx_p99: added(n),
      },
      throughput_ratio: {
        gateway_vs_direct: ratio(g?.tokens_per_s_per_stream, d?.tokens_per_s_per_stream),
        gateway_vs_nginx: ratio(g?.tokens_per_s_per_stream, n?.tokens_per_s_per_stream),
        nginx_vs_direct: ratio(n?.tokens_per_s_per_stream, d?.tokens_per_s_per_stream),
        aggregate_gateway_vs_direct: ratio(g?.tokens_per_s_aggregate, d?.tokens_per_s_aggregate),
        aggregate_gateway_vs_nginx: ratio(g?.tokens_per_s_aggregate, n?.tokens_per_s_aggregate),
      },
      ...(b
        ? {
            baseline: {
              gateway_cpu_vs_baseline: ratio(g?.relay_cpu_s_per_1000_chunks, b.relay_cpu_s_per_1000_chunks),
              baseline_cpu_vs_nginx: ratio(b.relay_cpu_s_per_1000_chunks, n?.relay_cpu_s_per_1000_chunks),
              baseline_throughput_vs_nginx: ratio(b.tokens_per_s_per_stream, n?.tokens_per_s_per_stream),
              baseline_added_ttft_p99_ms: added(b),
            },
          }
        : {}),
      cpu_ratio: {
        gateway_vs_nginx: ratio(g?.relay_cpu_s_per_1000_chunks, n?.relay_cpu_s_per_1000_chunks),
        gateway_net_vs_nginx: ratio(g?.relay_cpu_s_per_1000_chunks_net, n?.relay_cpu_s_per_1000_chunks),
        // The floor: a minimal Node pass-through (bench/gateway-raw-relay.ts) against nginx.
        raw_http_vs_nginx: ratio(rh?.relay_cpu_s_per_1000_chunks, n?.relay_cpu_s_per_1000_chunks),
        raw_undici_vs_nginx: ratio(ru?.relay_cpu_s_per_1000_chunks, n?.relay_cpu_s_per_1000_chunks),
        raw_framed_vs_nginx: ratio(rf?.relay_cpu_s_per_1000_chunks, n?.relay_cpu_s_per_1000_chunks),
        raw_dispatch_vs_nginx: ratio(rd?.relay_cpu_s_per_1000_chunks, n?.relay_cpu_s_per_1000_chunks),
        raw_splice_vs_nginx: ratio(rs?.relay_cpu_s_per_1000_chunks, n?.relay_cpu_s_per_1000_chunks),
        raw_splice_vs_raw_dispatch: ratio(rs?.relay_cpu_s_per_1000_chunks, rd?.relay_cpu_s_per_1000_chunks),
        gateway_net_vs_raw_undici: ratio(g?.relay_cpu_s_per_1000_chunks_net, ru?.relay_cpu_s_per_1000_chunks),
      },
      raw_throughput_vs_direct: {
        raw_http: ratio(rh?.tokens_per_s_per_stream, d?.tokens_per_s_per_stream),
        raw_undici: ratio(ru?.tokens_per_s_per_stream, d?.tokens_per_s_per_stream),
        raw_framed: ratio(rf?.tokens_per_s_per_stream, d?.tokens_per_s_per_stream),
        raw_dispatch: ratio(rd?.tokens_per_s_per_stream, d?.tokens_per_s_per_stream),
        raw_splice: ratio(rs?.tokens_per_s_per_stream, d?.tokens_per_s_per_stream),
      },
    };
  });

  console.log(`\nTTFT ms p50 / p99 (added vs direct); throughput tokens/s per stream [aggregate]`);
  for (const c of comparison) {
    const f = results[c.level]!;
    const cell = (t: TargetName) => {
      const x = f[t];
      return x
        ? `${t} ${x.ttft_p50_ms}/${x.ttft_p99_ms} ms, ${x.tokens_per_s_per_stream} [${x.tokens_per_s_aggregate}] t/s, ${x.errors + x.short_streams} bad`
        : '';
    };
    const baselineCell = (
      ['baseline', 'raw_http', 'raw_undici', 'raw_framed', 'raw_dispatch', 'raw_splice'] as const
    )
      .map((t) => (f[t] ? ` | ${cell(t)}` : ''))
      .join('');
    console.log(
      `${pad(c.level, 9)} | ${cell('direct')} | ${cell('gateway')} | ${cell('nginx')}${baselineCell}`,
    );
    console.log(
      `${pad('', 9)} | added p99: gateway ${c.added_ttft_ms.gateway_p99} ms, nginx ${c.added_ttft_ms.nginx_p99} ms | throughput gw/direct ${c.throughput_ratio.gateway_vs_direct}, gw/nginx ${c.throughput_ratio.gateway_vs_nginx}, nginx/direct ${c.throughput_ratio.nginx_vs_direct}`,
    );
  }
  console.log(`\nCPU s per 1,000 relayed chunks (user+sys of the relaying process)`);
  for (const c of comparison) {
    const f = results[c.level]!;
    const raws = (['raw_http', 'raw_undici', 'raw_framed', 'raw_dispatch', 'raw_splice'] as const)
      .map((t) =>
        f[t]
          ? ` | ${t} ${f[t].relay_cpu_s_per_1000_chunks} (user ${f[t].relay_user_cpu_s_per_1000_chunks}, ${c.cpu_ratio[`${t}_vs_nginx`]}× nginx)`
          : '',
      )
      .join('');
    console.log(
      `${pad(c.level, 9)} | gateway ${f.gateway?.relay_cpu_s_per_1000_chunks} (user ${f.gateway?.relay_user_cpu_s_per_1000_chunks}, net of background ${f.gateway?.relay_cpu_s_per_1000_chunks_net}) | nginx ${f.nginx?.relay_cpu_s_per_1000_chunks} (user ${f.nginx?.relay_user_cpu_s_per_1000_chunks}) | gw/nginx ${c.cpu_ratio.gateway_vs_nginx} (net ${c.cpu_ratio.gateway_net_vs_nginx}) | baseline ${f.baseline?.relay_cpu_s_per_1000_chunks ?? '-'} | fake vLLM ${f.direct?.vllm_cpu_s_per_1000_chunks} | control-plane background ${f.control_plane_background_cpu_per_s} CPU-s/s${raws}`,
    );
  }
  if (firstError.length > 0) console.log(`first errors: ${firstError.join(' | ')}`);

  const at = (name: string) => comparison.find((x) => x.level === name);
  const quiet = comparison.filter((x) => !x.busy);
  const at64 = at('64');
  const at256 = at('256');
  const busy = at('256-busy');
  const ok = (v: boolean | undefined) => (v === undefined ? 'not measured' : verdict(v));
  const verdicts = {
    cpu_per_chunk_at_256_vs_nginx: ok(
      at256?.cpu_ratio.gateway_net_vs_nginx != null ? at256.cpu_ratio.gateway_net_vs_nginx <= 2 : undefined,
    ),
    added_p99_ttft_at_64_vs_nginx_plus_1ms: ok(
      at64?.added_ttft_ms.gateway_p99 != null && at64.added_ttft_ms.nginx_p99 != null
        ? at64.added_ttft_ms.gateway_p99 <= at64.added_ttft_ms.nginx_p99 + 1
        : undefined,
    ),
    throughput_vs_direct: Object.fromEntries(
      quiet.map((x) => [
        x.level,
        ok(
          x.throughput_ratio.gateway_vs_direct != null
            ? x.throughput_ratio.gateway_vs_direct >= 0.95
            : undefined,
        ),
      ]),
    ),
    busy_throughput_vs_nginx_at_256: ok(
      busy?.throughput_ratio.gateway_vs_nginx != null
        ? busy.throughput_ratio.gateway_vs_nginx >= 0.9
        : undefined,
    ),
  };
  console.log(`\nverdicts: ${JSON.stringify(verdicts)}`);
  // The cheapest minimal Node relay measured: if it misses 2× too, no Node relay can meet it here.
  const floors = [
    at256?.cpu_ratio.raw_http_vs_nginx,
    at256?.cpu_ratio.raw_undici_vs_nginx,
    at256?.cpu_ratio.raw_framed_vs_nginx,
    at256?.cpu_ratio.raw_dispatch_vs_nginx,
    at256?.cpu_ratio.raw_splice_vs_nginx,
  ];
  const floor = floors.filter((x): x is number => x != null).sort((a, b) => a - b)[0];
  if (floor !== undefined)
    console.log(
      `at 256 streams: gateway ${at256?.cpu_ratio.gateway_net_vs_nginx}× nginx (net), the minimal Node relay ${floor}× — ` +
        `${floor <= 2 ? 'the 2× target is within reach of Node' : 'even a relay with no features misses 2× on this machine'}`,
    );
  return {
    results,
    comparison,
    verdicts,
    node_floor_cpu_at_256_vs_nginx: floor ?? null,
    first_errors: firstError,
    note:
      `One 2-core machine runs everything: the fake vLLM (simulator process), the control plane with ` +
      `its samplers (its own process), the load generator (its own process), nginx (1 worker, to ` +
      `match the gateway's single event loop) and this driver. Each hop competes for the same cores, ` +
      `so added TTFT includes contention a real deployment would not see; nginx − direct is a good ` +
      `proxy's cost under the same contention. Batches are interleaved (rotated order), each on warm ` +
      `keep-alive connections (warm-up not measured), with workers' first requests staggered over ` +
      `one stream's length. CPU is user+sys from /proc/<pid>/stat (10 ms ticks) of the control-plane ` +
      `process or nginx's worker, read around each measured batch; chunks are the SSE events the ` +
      `clients received. "net" subtracts the control plane's CPU rate during the other targets' ` +
      `batches (its samplers), which is not relay work. The busy level pins a busy-loop process and ` +
      `the relay under test (control plane or nginx worker) to CPU 0.`,
  };
}
