// Launcher updates (SPEC §13, issue 12 items 5–8): API shapes shared by the server and the
// dashboard. "The launcher" is spark-vllm-docker, the vLLM orchestration project checked out in
// `vllm.launcher_dir` on the head node — never firmware, OS or model updates.

/** One commit of the launcher's history. */
export interface LauncherCommit {
  sha: string;
  /** The first line of the message. */
  subject: string;
  author: string;
  /** ISO 8601 (committer date). */
  date: string;
}

/** What the launcher can do, read once per launcher version from `./launch-cluster.sh --help`. */
export interface LauncherCapabilities {
  /** The commit the capabilities were read at. */
  commit: string;
  daemon: boolean; // -d
  solo: boolean; // --solo
  exec: boolean; // the exec action
  /** What a swap needs and this launcher lacks (empty: nothing); shown as "update the launcher". */
  missing: string[];
}

export type UpdatePhase =
  | 'preparing' // dirty check, tagging the rollback image on every node
  | 'pulling' // git pull --ff-only
  | 'building' // ./build-and-copy.sh: building the vLLM container
  | 'copying' // ./build-and-copy.sh: copying to peer Sparks
  | 'smoke_test' // launching the chosen model with the new image, waiting for ready
  | 'restoring' // relaunching the model that was loaded before the smoke test
  | 'rolling_back' // git reset to the previous commit, the rollback image re-tagged on every node
  | 'done';

/** An update or a rollback as remembered (store; `job.meta` of its job while it runs). */
export interface UpdateRecord {
  id: string;
  /** The job that runs it (`/api/jobs/{job_id}/stream`). */
  job_id: string;
  kind: 'update' | 'rollback';
  state: 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
  phase: UpdatePhase;
  /** Launcher commit before and after (after: null until pulled). */
  from_commit: string;
  to_commit: string | null;
  /** The image tag kept for rollback (`vllm-node:rollback`); null when there was no image to keep. */
  rollback_image: string | null;
  /** Catalog key of the smoke-test model; null when the update ran without one. */
  smoke_model: string | null;
  smoke_result: 'passed' | 'failed' | 'skipped' | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  /** Seconds spent in each phase reached so far. */
  timings: Partial<Record<UpdatePhase, number>>;
}

/** `GET /api/updates` — answered from a snapshot (refreshed every 30 min and on demand). */
export interface UpdatesResponse {
  /** false: the check failed (`error` says why); the counts below then mean nothing. */
  ok: boolean;
  behind: number;
  ahead: number;
  dirty: boolean;
  /** The head's launcher commit (short sha) and branch. */
  current: string | null;
  branch: string | null;
  /** Pending commits (on origin, not in HEAD), newest first. */
  log: LauncherCommit[];
  error: string | null;
  checked_at: string | null;
  /** Whether a check is running now. */
  checking: boolean;
  /** The latest update or rollback (running or finished). */
  last: UpdateRecord | null;
  /** Whether `POST /api/updates/rollback` has something to restore (a previous commit and image). */
  rollback_available: boolean;
  capabilities: LauncherCapabilities | null;
}

/** `POST /api/updates/apply` body. */
export interface ApplyUpdateRequest {
  /** Catalog key of a small model to launch with the new image; absent/null: no smoke test. */
  smoke_model?: string | null;
}

/** `POST /api/updates/apply` and `POST /api/updates/rollback` → 202. */
export interface UpdateStarted {
  id: string;
  job_id: string;
}

/** `POST /api/explain-updates` → `text/event-stream` of `data: <ExplainEvent JSON>` lines. */
export type ExplainEvent =
  | { type: 'start'; model: string; commits: number }
  | { type: 'reasoning'; text: string }
  | { type: 'content'; text: string }
  | { type: 'error'; status: number; message: string }
  | { type: 'done' };

export const UPDATE_JOB_KIND = 'launcher-update';
export const ROLLBACK_JOB_KIND = 'launcher-rollback';
/** Held by an update or rollback job: swaps refuse while it is held (and vice versa). */
export const LAUNCHER_LOCK = 'launcher';
