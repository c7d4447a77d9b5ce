// Watches one model load until it is served or definitely failed, and reports that as one event:
// vLLM's log (fatal lines fail at once in vLLM's words), /v1/models (ready), the engine process
// (gone → failed with its last words, within one liveness interval), the other cluster nodes, and
// a generous deadline. The first verdict wins; stop() ends every watcher.
import { isAppError } from '../../platform/http/errors.js';
import { sh } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { SwapEvent } from './decide.js';
import { deathReason, probeEngine, recentLogs } from './engine-liveness.js';
import { followLogsCommand, type LaunchTarget } from './launch-command.js';
import { LogWatch } from './log-watch.js';
import { listModels, servesModel, waitUntilServed } from './readiness.js';
import type { SwapRow } from './store.js';

export interface LoadWatchDeps {
  transport: NodeTransport;
  target: LaunchTarget;
  vllmBaseUrl: string;
  /** Seconds to wait for readiness before giving up. */
  loadTimeoutS: number;
  /** How often other cluster nodes are checked (ms). */
  peerCheckMs?: number;
  /** How often the engine process is checked (ms). */
  livenessMs?: number;
  log(line: string): void;
}

export const DEFAULT_LIVENESS_MS = 2000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => (clearTimeout(t), signal.removeEventListener('abort', done), resolve());
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export class LoadWatcher {
  private readonly ctrl = new AbortController();
  private readonly logWatch = new LogWatch();
  private readonly head: string;

  constructor(
    private readonly row: SwapRow,
    private readonly d: LoadWatchDeps,
    private readonly onVerdict: (e: SwapEvent) => void,
  ) {
    this.head = d.target.nodes[0]!.name;
  }

  get signal(): AbortSignal {
    return this.ctrl.signal;
  }

  stop(): void {
    this.ctrl.abort();
  }

  private verdict(e: SwapEvent): void {
    if (this.ctrl.signal.aborted) return;
    this.stop();
    this.onVerdict(e);
  }

  private fail(reason: string): void {
    this.verdict({ type: 'failed', reason });
  }

  start(): void {
    const { signal } = this.ctrl;
    this.followLog(signal);
    const { snapshot } = this.row;
    waitUntilServed(this.d.vllmBaseUrl, snapshot.served_model_name, snapshot.path, signal).then(
      () => this.verdict({ type: 'ready' }),
      // It rejects only when this watch was stopped; anything else would be a bug worth a verdict.
      (e: unknown) => this.fail(`Watching /v1/models failed: ${(e as Error).message}`),
    );
    const deadline = setTimeout(
      () => this.fail(`vLLM did not become ready within ${Math.round(this.d.loadTimeoutS / 60)} min`),
      this.d.loadTimeoutS * 1000,
    );
    signal.addEventListener('abort', () => clearTimeout(deadline), { once: true });
    this.watchPeers(signal);
    void this.watchEngine(signal); // never rejects: every outcome is a verdict or the watch's end
  }

  private followLog(signal: AbortSignal): void {
    const container = this.d.target.container;
    const since = this.row.log_since ?? Math.floor(this.row.started_at / 1000);
    this.d.transport
      .stream(
        this.head,
        followLogsCommand(container, since),
        (line) => {
          this.d.log(line);
          // Give vLLM a moment to print the rest of the traceback before we stop reading.
          if (this.logWatch.push(line)) setTimeout(() => this.fail(this.logWatch.reason()), 300);
        },
        { signal },
      )
      .then(
        () =>
          this.fail(
            this.logWatch.failed
              ? this.logWatch.reason()
              : deathReason({ kind: 'container_stopped', detail: '' }, container, this.logWatch.tail()),
          ),
        (e: unknown) =>
          this.fail(
            `Lost the connection to ${this.head} while the model was loading: ${(e as Error).message}`,
          ),
      );
  }

  /** The engine process, every few seconds: only a definite "gone" fails the swap. */
  private async watchEngine(signal: AbortSignal): Promise<void> {
    const every = this.d.livenessMs ?? DEFAULT_LIVENESS_MS;
    const container = this.d.target.container;
    while (!signal.aborted) {
      await sleep(every, signal);
      if (signal.aborted) return;
      const probe = await probeEngine(this.d.transport, this.head, container, {
        timeoutMs: Math.max(3000, every * 2),
        signal,
      });
      if (probe.kind === 'alive' || probe.kind === 'unknown') continue;
      const lines = (await recentLogs(this.d.transport, this.head, container)) ?? this.logWatch.tail(80);
      this.fail(this.logWatch.failed ? this.logWatch.reason() : deathReason(probe, container, lines));
    }
  }

  /** Cluster mode: a worker that drops off takes the engine with it — fail with its name. */
  private watchPeers(signal: AbortSignal): void {
    const peers = this.d.target.nodes.slice(1).filter((n) => this.row.nodes.includes(n.name));
    if (peers.length === 0) return;
    const timer = setInterval(() => {
      for (const p of peers) {
        this.d.transport.exec(p.name, sh`true`, { timeoutMs: 6000, signal }).catch((e: unknown) => {
          // A slow answer is not a verdict ("unknown" is not "down"): if the worker really hung,
          // the engine dies of NCCL's watchdog and the liveness probe sees that.
          if (isAppError(e) && e.code === 'TIMEOUT') return this.d.log(`${p.name} is slow to answer`);
          this.fail(`${p.name} became unreachable during the swap`);
        });
      }
    }, this.d.peerCheckMs ?? 3000);
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }
}

/**
 * After a restart, before watching again: what vLLM serves and whether its engine runs. Serving
 * this model → ready; serving another → failed; no container or no engine process → failed with
 * its last words; anything unknown → null (keep watching).
 */
export async function reattachVerdict(row: SwapRow, d: LoadWatchDeps): Promise<SwapEvent | null> {
  const { served_model_name: served, path } = row.snapshot;
  const ids = await listModels(d.vllmBaseUrl, undefined, 3000);
  if (ids && servesModel(ids, served, path)) return { type: 'ready' };
  if (ids && ids.length > 0)
    return { type: 'failed', reason: `vLLM serves ${ids.join(', ')} instead of ${served}` };
  const head = d.target.nodes[0]!.name;
  const probe = await probeEngine(d.transport, head, d.target.container);
  if (probe.kind === 'alive' || probe.kind === 'unknown') return null;
  const lines = (await recentLogs(d.transport, head, d.target.container)) ?? [];
  return { type: 'failed', reason: deathReason(probe, d.target.container, lines) };
}
