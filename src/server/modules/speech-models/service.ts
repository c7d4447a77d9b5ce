// Speech-model patches (SPEC §7): a snapshot of the overlay's state in the Parakeet container,
// refreshed in the background and on demand (GET never waits on SSH unless asked to), and the
// reapply / restore / restart operations as jobs holding the container's lock.
import type { JobInfo } from '../../../common/api.js';
import type {
  DockerState,
  LastJobInfo,
  PatchStep,
  ReapplyResult,
  SpeechModelsResponse,
} from '../../../common/services-api.js';
import type { AppConfig } from '../../config/types.js';
import { AppError } from '../../platform/http/errors.js';
import { badEndOn } from '../../platform/jobs/last-job.js';
import type { JobHandle, JobRunnerApi } from '../../platform/jobs/types.js';
import { sh } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { urlHost } from '../health/index.js';
import { describeLastJob } from '../services/last-job.js';
import { compareFiles, modelsFromHealth } from './compare.js';
import type { OverlayFile } from './overlay.js';
import { appPath, containerShas, type PatchPlan, type PatchRemote, Steps } from './remote.js';
import { OPERATIONS, type PatchOp } from './steps.js';

export interface SpeechModelsTimings {
  /** How long a restarted container gets to answer /health ok (default 120 s). */
  healthTimeoutMs?: number;
  healthPollMs?: number;
  /** Background refresh of the snapshot (default 60 s). */
  refreshIntervalMs?: number;
}

export interface SpeechModelsOptions extends SpeechModelsTimings {
  config: AppConfig;
  transport: NodeTransport;
  runner: JobRunnerApi;
  files: OverlayFile[];
  /** Docker's view of the Parakeet service from the services snapshot (for `last_job`'s advice). */
  dockerOf?: (service: string) => DockerState | null;
}

export const PATCH_JOB_KINDS: Record<PatchOp, string> = {
  reapply: 'patch-reapply',
  restore: 'patch-restore',
  restart: 'patch-restart',
};
const TITLES: Record<PatchOp, string> = {
  reapply: 'a speech-model patch reapply',
  restore: 'a speech-model patch restore',
  restart: 'a speech-model container restart',
};
const HEALTH_TIMEOUT_MS = 3000;

export type PatchJobResult = ReapplyResult & { job: JobInfo };

export class SpeechModelsService {
  private readonly plan: (PatchPlan & { service: string; healthUrl: string }) | null;
  private snap: SpeechModelsResponse;
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = new AbortController();

  constructor(private readonly o: SpeechModelsOptions) {
    // The overlay is for the seed's Parakeet app; NVIDIA's ASR NIM (api: nim) takes no overlay.
    const [service, svc] =
      Object.entries(o.config.services).find(([, s]) => s.kind === 'asr' && s.api !== 'nim') ?? [];
    const host = svc ? o.config.nodes.find((n) => n.name === svc.node)?.host : undefined;
    this.plan =
      service && svc && host
        ? {
            service,
            node: svc.node,
            container: svc.container,
            appDir: o.config.speech_models.app_dir,
            files: o.files,
            healthTimeoutMs: o.healthTimeoutMs ?? 120_000,
            healthPollMs: o.healthPollMs ?? 2000,
            healthUrl: `http://${urlHost(host)}:${svc.port}/health`,
          }
        : null;
    this.snap = {
      service: this.plan?.service ?? '',
      container: this.plan?.container ?? '',
      node: this.plan?.node ?? '',
      files: [],
      models: [],
      checked_at: null,
      error: this.plan
        ? null
        : 'No Parakeet app is configured (services.<name>.kind: asr, api: parakeet-app); an ASR NIM takes no overlay',
      job: null,
    };
  }

  start(): void {
    void this.refresh().catch(() => undefined); // refresh() records failures in the snapshot
    const every = this.o.refreshIntervalMs ?? 60_000;
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.stopped.abort();
  }

  current(): SpeechModelsResponse {
    return { ...this.snap, job: this.runningJob(), last_job: this.lastJob() };
  }

  /** A fresh look (one in flight at a time); failures become the snapshot's error, never a guess. */
  async refresh(): Promise<SpeechModelsResponse> {
    this.inFlight ??= this.look().finally(() => (this.inFlight = null));
    await this.inFlight;
    return this.current();
  }

  private async look(): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    const signal = AbortSignal.any([this.stopped.signal, AbortSignal.timeout(20_000)]);
    const remote = this.remote(plan);
    const checked_at = new Date().toISOString();
    try {
      const [found, health] = await Promise.all([
        containerShas(
          remote,
          plan,
          plan.files.map((f) => appPath(plan, f.name)),
          signal,
        ),
        remote.health(signal),
      ]);
      const files = compareFiles(plan.files, plan.appDir, found);
      this.snap = { ...this.snap, files, models: health.ok ? health.models : [], checked_at, error: null };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.snap = { ...this.snap, files: [], models: [], checked_at, error };
    }
  }

  /** Starts an operation as a job; 409 while another job holds the container, 503 when its node is down. */
  async startOp(op: PatchOp): Promise<JobHandle> {
    const plan = this.plan;
    if (!plan) throw new AppError('NOT_FOUND', this.snap.error ?? 'No ASR service is configured');
    const lock = `container:${plan.node}:${plan.container}`;
    const holder = this.o.runner.holder(lock);
    if (holder)
      throw new AppError(
        'CONFLICT',
        `Job ${holder.id} (${holder.kind}) is working on ${plan.container}; try again when it finishes`,
        { details: { job: holder } },
      );
    // Nothing is attempted on a node that does not answer.
    await this.o.transport.exec(plan.node, sh`true`, { timeoutMs: 10_000 });
    const handle = this.o.runner.start({
      kind: PATCH_JOB_KINDS[op],
      locks: [lock],
      title: TITLES[op],
      meta: { container: plan.container, node: plan.node, steps: [] },
      run: async (ctx) => {
        const steps = new Steps((all, last) => {
          ctx.setMeta({ steps: all });
          ctx.log(`${last.ok ? 'ok  ' : 'FAIL'} ${last.step}: ${last.detail}`);
          ctx.setPhase(last.step);
        });
        await OPERATIONS[op](this.remote(plan), plan, steps, ctx.signal);
      },
    });
    void handle.done.then(() => this.refresh()).catch(() => undefined); // refresh() records its own failures
    return handle;
  }

  /** The steps of a patch job (running or finished). */
  result(id: string): PatchJobResult {
    const job = this.o.runner.get(id);
    if (!job || !Object.values(PATCH_JOB_KINDS).includes(job.kind))
      throw new AppError('NOT_FOUND', `No speech-model patch job with id ${id}.`);
    const steps = Array.isArray(job.meta.steps) ? (job.meta.steps as PatchStep[]) : [];
    return { ok: job.state === 'succeeded', steps, job };
  }

  private runningJob(): JobInfo | null {
    const plan = this.plan;
    if (!plan) return null;
    const holder = this.o.runner.holder(`container:${plan.node}:${plan.container}`);
    return holder && Object.values(PATCH_JOB_KINDS).includes(holder.kind) ? holder : null;
  }

  /** A job on the container that was interrupted or failed and that nothing has followed yet. */
  private lastJob(): LastJobInfo | null {
    const plan = this.plan;
    if (!plan) return null;
    const bad = badEndOn(this.o.runner, `container:${plan.node}:${plan.container}`, Date.now());
    return bad ? describeLastJob(bad, this.o.dockerOf?.(plan.service) ?? null, plan.container) : null;
  }

  private remote(plan: PatchPlan & { healthUrl: string }): PatchRemote {
    const { transport } = this.o;
    return {
      exec: (cmd, opts) => transport.exec(plan.node, cmd, opts),
      health: async (signal) => {
        try {
          const res = await fetch(plan.healthUrl, {
            signal: AbortSignal.any([signal, AbortSignal.timeout(HEALTH_TIMEOUT_MS)]),
          });
          const body: unknown = await res.json().catch(() => null);
          const status = (body as { status?: unknown } | null)?.status;
          const ok = res.status === 200 && (status === undefined || status === 'ok');
          return { ok, models: modelsFromHealth(body), detail: `HTTP ${res.status}` };
        } catch (err) {
          if (signal.aborted) throw signal.reason;
          return { ok: false, models: [], detail: err instanceof Error ? err.message : String(err) };
        }
      },
      sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          if (signal.aborted) return reject(signal.reason as Error);
          const t = setTimeout(resolve, ms);
          signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason as Error)), {
            once: true,
          });
        }),
      now: () => Date.now(),
    };
  }
}
