// The record of one running update or rollback, owned by its job: every phase change is timed,
// saved and mirrored into the job (phase text and `meta.update`), so the dashboard's job view and
// GET /api/updates agree, and a restart finds the phase the run stopped in.
import type { UpdatePhase, UpdateRecord } from '../../../common/updates-api.js';
import { JobShutdown, type JobContext } from '../../platform/jobs/types.js';
import { addTiming, PHASE_TITLES } from './phases.js';
import { toPublic, type StoredUpdate, type UpdateStore } from './store.js';

export class RecordWriter {
  private enteredAt: number;

  constructor(
    readonly r: StoredUpdate,
    private readonly store: UpdateStore,
    private readonly ctx: JobContext,
    private readonly now: () => number,
  ) {
    this.enteredAt = now();
    ctx.setPhase(PHASE_TITLES[r.phase]);
    ctx.log(`── ${PHASE_TITLES[r.phase]}`);
  }

  enter(phase: UpdatePhase): void {
    if (phase === this.r.phase) return;
    this.r.timings = addTiming(this.r.timings, this.r.phase, this.enteredAt, this.now());
    this.enteredAt = this.now();
    this.r.phase = phase;
    this.ctx.setPhase(PHASE_TITLES[phase]);
    this.ctx.log(`── ${PHASE_TITLES[phase]}`);
    this.save();
  }

  set(
    patch: Partial<
      Pick<StoredUpdate, 'to_commit' | 'rollback_image' | 'smoke_result' | 'smoke_swap_id' | 'error'>
    >,
  ): void {
    Object.assign(this.r, patch);
    this.save();
  }

  /** The run ended: `done` on success; otherwise the phase it stopped in stays, with the error. */
  finish(state: Exclude<UpdateRecord['state'], 'running'>, error: string | null): void {
    this.r.timings = addTiming(this.r.timings, this.r.phase, this.enteredAt, this.now());
    if (state === 'succeeded') {
      this.r.phase = 'done';
      this.ctx.setPhase(PHASE_TITLES.done);
    }
    this.r.state = state;
    this.r.error = error ?? this.r.error;
    this.r.finished_at = new Date(this.now()).toISOString();
    this.save();
  }

  /**
   * Runs the job's work and records how it ended. A shutdown leaves the record `running` (the next
   * start marks it interrupted); a cancel records `cancelled`; anything else `failed`.
   */
  async run(work: () => Promise<void>): Promise<void> {
    try {
      await work();
      this.finish('succeeded', null);
    } catch (err) {
      if (this.ctx.signal.aborted && this.ctx.signal.reason instanceof JobShutdown) throw err;
      if (this.ctx.signal.aborted) {
        this.ctx.log(`cancelled during ${PHASE_TITLES[this.r.phase].toLowerCase()}`);
        this.finish('cancelled', null);
      } else this.finish('failed', err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private save(): void {
    this.store.save(this.r);
    this.ctx.setMeta({ update: toPublic(this.r) });
  }
}
