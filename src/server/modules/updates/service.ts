// Launcher updates (SPEC §13, issue 12 items 5–6): the snapshot answer, and apply / rollback as
// jobs holding the launcher lock, the GPU and every vLLM node, so an update and a swap (or two
// updates) exclude each other in the job runner: the loser gets 409 naming the holder.
import { randomBytes } from 'node:crypto';
import {
  LAUNCHER_LOCK,
  ROLLBACK_JOB_KIND,
  UPDATE_JOB_KIND,
  type ApplyUpdateRequest,
  type LauncherCapabilities,
  type UpdateRecord,
  type UpdatesResponse,
  type UpdateStarted,
} from '../../../common/updates-api.js';
import { AppError } from '../../platform/http/errors.js';
import type { JobContext, JobRunnerApi } from '../../platform/jobs/types.js';
import { parseStatus, statusCommand, validateCommit } from './git-commands.js';
import { RecordWriter } from './record.js';
import type { UpdateSnapshot } from './snapshot.js';
import { toPublic, type StoredUpdate, type UpdateStore } from './store.js';
import { runRollback, runUpdate, type UpdateJobDeps } from './update-job.js';

export interface UpdateServiceDeps extends UpdateJobDeps {
  runner: JobRunnerApi;
  store: UpdateStore;
  snapshot: UpdateSnapshot;
  /** Throws (404) for an unknown catalog key. */
  catalog: { snapshot(key: string): { key: string; display_name: string } };
  capabilities?: { current(): LauncherCapabilities | null; get?(): Promise<unknown> } | null;
  now?: () => number;
}

const STATUS_MS = 30_000;

export class UpdateService {
  private readonly now: () => number;

  constructor(private readonly d: UpdateServiceDeps) {
    this.now = d.now ?? Date.now;
  }

  /**
   * At start-up, before the job runner's recovery: no run of ours is alive, so a record left
   * `running` was cut off by the restart (its job becomes `interrupted` too, having no recovery).
   */
  closeInterrupted(): void {
    for (const r of this.d.store.running()) {
      const what = r.kind === 'update' ? 'update' : 'rollback';
      r.state = 'interrupted';
      r.error = `Spark Control restarted during the ${what} (${r.phase}); check the launcher, then apply or roll back again`;
      r.finished_at = new Date(this.now()).toISOString();
      this.d.store.save(r);
      if (r.smoke_swap_id)
        this.d.swaps?.closeOrphan(r.smoke_swap_id, 'Spark Control restarted during the launcher update');
    }
  }

  current(): UpdatesResponse {
    const { head: _head, dirty_files: _files, ...git } = this.d.snapshot.current();
    const last = this.d.store.latest();
    return {
      ...git,
      last: last ? toPublic(last) : null,
      rollback_available: this.rollbackSource() !== null,
      capabilities: this.d.capabilities?.current() ?? null,
    };
  }

  async check(): Promise<UpdatesResponse> {
    await this.d.snapshot.check();
    return this.current();
  }

  async apply(req: ApplyUpdateRequest): Promise<UpdateStarted> {
    const smoke = req.smoke_model ?? null;
    if (smoke !== null) {
      this.d.catalog.snapshot(smoke); // 404 for an unknown model, before anything runs
      if (!this.d.swaps) throw new AppError('CONFLICT', 'The swap engine is not available for a smoke test');
    }
    this.refuseWhileRunning();
    const head = await this.cleanHead('update');
    return this.startJob('update', head, smoke, (rec, ctx) => runUpdate(this.d, rec, ctx, smoke));
  }

  async rollback(): Promise<UpdateStarted> {
    const source = this.rollbackSource();
    if (!source) throw new AppError('CONFLICT', 'There is no update to roll back');
    this.refuseWhileRunning();
    const head = await this.cleanHead('rollback');
    const commit = validateCommit(source.from_commit);
    return this.startJob('rollback', head, null, (rec, ctx) => {
      rec.set({ to_commit: commit, rollback_image: source.rollback_image });
      return runRollback(this.d, rec, ctx, commit, source.rollback_image);
    });
  }

  /**
   * The update a rollback restores: the latest update, finished, with no successful rollback
   * after it (a failed or interrupted rollback can be tried again).
   */
  private rollbackSource(): StoredUpdate | null {
    const last = this.d.store.latest();
    if (!last || last.state === 'running') return null;
    if (last.kind === 'rollback' && last.state === 'succeeded') return null;
    const update = last.kind === 'update' ? last : this.d.store.latest('update');
    return update && update.state !== 'running' ? update : null;
  }

  /** A quick 409 naming the running update before any SSH (the runner's locks decide races). */
  private refuseWhileRunning(): void {
    const holder = this.d.runner.holder(LAUNCHER_LOCK);
    if (holder)
      throw new AppError(
        'CONFLICT',
        `A launcher ${holder.kind === ROLLBACK_JOB_KIND ? 'rollback' : 'update'} is running (job ${holder.id}); try again when it finishes`,
        {
          details: { job: holder },
        },
      );
  }

  /** The head's commit, read now; a dirty tree is refused before any job (409 with the files). */
  private async cleanHead(what: 'update' | 'rollback'): Promise<string> {
    const head = this.d.nodes[0]?.name;
    if (!head) throw new AppError('CONFLICT', 'No vLLM node is configured');
    const r = await this.d.transport.exec(head, statusCommand(this.d.launcherDir), { timeoutMs: STATUS_MS });
    if (r.code !== 0)
      throw new AppError(
        'UPSTREAM_ERROR',
        `Could not read the launcher's state on ${head}: ${r.stdout.trim().split('\n').at(-1) || r.stderr.trim() || `exit ${r.code ?? 'killed'}`}`,
      );
    const s = parseStatus(r.stdout);
    if (s.dirty.length > 0) {
      const files = s.dirty.map((l) => l.slice(3)).slice(0, 20);
      throw new AppError(
        'CONFLICT',
        `The launcher checkout on ${head} has uncommitted changes (${files.join(', ')}); ${what === 'update' ? 'git pull' : 'git reset --hard'} would ${what === 'update' ? 'refuse or mix them in' : 'discard them'}. Commit or discard them first.`,
        { details: { dirty: s.dirty } },
      );
    }
    return validateCommit(s.head);
  }

  private startJob(
    kind: UpdateRecord['kind'],
    fromCommit: string,
    smoke: string | null,
    work: (rec: RecordWriter, ctx: JobContext) => Promise<void>,
  ): UpdateStarted {
    const id = `upd_${this.now().toString(36)}${randomBytes(4).toString('hex')}`;
    const record: StoredUpdate = {
      id,
      job_id: id,
      kind,
      state: 'running',
      phase: kind === 'update' ? 'preparing' : 'rolling_back',
      from_commit: fromCommit,
      to_commit: null,
      rollback_image: null,
      smoke_model: smoke,
      smoke_result: null,
      smoke_swap_id: null,
      error: null,
      started_at: new Date(this.now()).toISOString(),
      finished_at: null,
      timings: {},
    };
    this.d.store.insert(record);
    try {
      this.start(record, work);
    } catch (err) {
      // Refused (a swap or another update holds a lock): a 409, never a record passing for the latest.
      this.d.store.remove(id);
      throw err;
    }
    return { id, job_id: id };
  }

  private start(record: StoredUpdate, work: (rec: RecordWriter, ctx: JobContext) => Promise<void>): void {
    const { id, kind } = record;
    this.d.runner.start({
      id,
      kind: kind === 'update' ? UPDATE_JOB_KIND : ROLLBACK_JOB_KIND,
      title: kind === 'update' ? 'a launcher update' : 'a launcher rollback',
      locks: [LAUNCHER_LOCK, 'gpu', ...this.d.nodes.map((n) => `node:${n.name}`)],
      meta: { update: toPublic(record) },
      run: async (ctx) => {
        const rec = new RecordWriter(record, this.d.store, ctx, this.now);
        try {
          await rec.run(() => work(rec, ctx));
        } finally {
          // Fresh looks for the banner and the capability check (the commit may have changed);
          // the job does not wait for them. check() never rejects; a failed get() is said by the
          // swap's own check later.
          void this.d.snapshot.check();
          this.d.capabilities?.get?.().catch(() => undefined);
        }
      },
    });
  }
}
