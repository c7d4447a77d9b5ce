// The launcher's git state on the head node (SPEC §13): `git fetch`, then counts, dirty files and
// pending commits, refreshed every `updates.check_interval_minutes` and on demand. GET answers from
// here and never waits on SSH; concurrent checks share one exec.
import type { UpdatesResponse } from '../../../common/updates-api.js';
import { isAppError } from '../../platform/http/errors.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { checkCommand, parseCheck } from './git-commands.js';

export type GitState = Pick<
  UpdatesResponse,
  'ok' | 'behind' | 'ahead' | 'dirty' | 'current' | 'branch' | 'log' | 'error' | 'checked_at' | 'checking'
> & { head: string | null; dirty_files: string[] };

export interface UpdateSnapshotDeps {
  transport: NodeTransport;
  head: () => string | null;
  launcherDir: string;
  intervalMs: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

const CHECK_TIMEOUT_MS = 90_000;

export class UpdateSnapshot {
  private state: GitState = {
    ok: false,
    behind: 0,
    ahead: 0,
    dirty: false,
    current: null,
    branch: null,
    log: [],
    error: 'Not checked yet',
    checked_at: null,
    checking: false,
    head: null,
    dirty_files: [],
  };
  private inFlight: Promise<GitState> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: UpdateSnapshotDeps) {}

  current(): GitState {
    return { ...this.state, checking: this.inFlight !== null };
  }

  /** Runs a check now (or joins the one running) and answers the new state. Never rejects. */
  check(): Promise<GitState> {
    this.inFlight ??= this.run().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  start(): void {
    void this.check(); // never rejects: a failed check is a state with ok:false
    this.timer = setInterval(() => void this.check(), this.d.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async run(): Promise<GitState> {
    const now = this.d.now ?? Date.now;
    const checked_at = () => new Date(now()).toISOString();
    const head = this.d.head();
    try {
      if (!head) throw new Error('No vLLM node is configured, so there is no launcher to check');
      const r = await this.d.transport.exec(head, checkCommand(this.d.launcherDir), {
        timeoutMs: CHECK_TIMEOUT_MS,
      });
      const c = parseCheck(r.stdout, r.code, r.stderr);
      this.state = {
        ok: true,
        behind: c.behind,
        ahead: c.ahead,
        dirty: c.dirty.length > 0,
        dirty_files: c.dirty,
        current: c.head.slice(0, 7),
        head: c.head,
        branch: c.branch,
        log: c.log,
        error: null,
        checked_at: checked_at(),
        checking: false,
      };
    } catch (err) {
      if (!isAppError(err)) this.d.onError?.(err);
      // Keep what was last known (the banner still says how far behind) but say the check failed.
      this.state = {
        ...this.state,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
        checked_at: checked_at(),
        checking: false,
      };
    }
    return { ...this.state };
  }
}
