// Pure helpers of the launcher updates banner: when it shows, what it says, the phases of an
// update or rollback as steps, the last result in one line, and the explanation as it streams.
import type { CatalogModel } from '../../../common/api.js';
import type {
  ExplainEvent,
  UpdatePhase,
  UpdateRecord,
  UpdatesResponse,
} from '../../../common/updates-api.js';
import { formatDuration, formatWhen, localizeTimes } from '../../lib/time.js';

/** Pending commits, or an update that failed, was cut off or still runs. */
export function showBanner(u: UpdatesResponse | null | undefined): u is UpdatesResponse {
  if (!u) return false;
  const state = u.last?.state;
  return (u.ok && u.behind > 0) || state === 'running' || state === 'failed' || state === 'interrupted';
}

export function bannerHeadline(behind: number): string {
  const n = behind === 1 ? '1 new commit' : `${behind} new commits`;
  return `spark-vllm-docker — the vLLM orchestration project — has ${n}. These are not firmware, OS or model updates.`;
}

export const PHASE_LABEL: Record<UpdatePhase, string> = {
  preparing: 'Preparing (keeping the current image for rollback)',
  pulling: 'Pulling',
  building: 'Building the vLLM container',
  copying: 'Copying to peer Sparks',
  smoke_test: 'Smoke test',
  restoring: 'Restoring the model loaded before',
  rolling_back: 'Rolling back',
  done: 'Done',
};

const UPDATE_PHASES: UpdatePhase[] = [
  'preparing',
  'pulling',
  'building',
  'copying',
  'smoke_test',
  'restoring',
];

export type StepStatus = 'done' | 'current' | 'failed' | 'pending';
export interface Step {
  phase: UpdatePhase;
  label: string;
  status: StepStatus;
  /** Seconds spent in it, when reached. */
  seconds: number | null;
}

/** The phases an update (or rollback) goes through, each marked done, current, failed or pending. */
export function phaseSteps(r: UpdateRecord): Step[] {
  const phases: UpdatePhase[] =
    r.kind === 'rollback'
      ? ['rolling_back']
      : UPDATE_PHASES.filter((p) => r.smoke_model !== null || (p !== 'smoke_test' && p !== 'restoring'));
  const at = r.phase === 'done' ? phases.length : phases.indexOf(r.phase);
  return phases.map((phase, i) => {
    let status: StepStatus = 'pending';
    if (i < at || (r.state === 'succeeded' && i <= at)) status = 'done';
    else if (i === at)
      status = r.state === 'running' ? 'current' : r.state === 'succeeded' ? 'done' : 'failed';
    const s = r.timings[phase];
    return { phase, label: PHASE_LABEL[phase], status, seconds: typeof s === 'number' ? s : null };
  });
}

const short = (sha: string | null) => (sha ? sha.slice(0, 7) : '?');

/** "Last update: succeeded 14:05 (a1b2c3d → e4f5a6b), smoke test passed, 12 min." and the like. */
export function lastResultLine(r: UpdateRecord, now: number): string {
  const what = r.kind === 'rollback' ? 'Last rollback' : 'Last update';
  const when = formatWhen(r.finished_at ?? r.started_at, now);
  const commits =
    r.kind === 'rollback' ? `to ${short(r.from_commit)}` : `${short(r.from_commit)} → ${short(r.to_commit)}`;
  const took =
    r.finished_at && Number.isFinite(Date.parse(r.finished_at)) && Number.isFinite(Date.parse(r.started_at))
      ? `, ${formatDuration((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000)}`
      : '';
  const smoke =
    r.smoke_result === 'passed' || r.smoke_result === 'failed'
      ? `, smoke test ${r.smoke_result}${r.smoke_model ? ` (${r.smoke_model})` : ''}`
      : '';
  switch (r.state) {
    case 'running':
      return `${what} running since ${when}: ${PHASE_LABEL[r.phase]}.`;
    case 'succeeded':
      return `${what}: succeeded ${when} (${commits})${smoke}${took}.`;
    case 'cancelled':
      return `${what}: cancelled ${when} during ${PHASE_LABEL[r.phase].toLowerCase()}.`;
    case 'interrupted':
      return `${what}: interrupted by a Spark Control restart during ${PHASE_LABEL[r.phase].toLowerCase()} (${when}).`;
    default:
      return `${what} failed ${when} during ${PHASE_LABEL[r.phase].toLowerCase()}${smoke}${
        r.error ? `: ${localizeTimes(r.error, now)}` : '.'
      }`;
  }
}

/** The smoke-test model the dialog starts with: the loaded model when it is in the catalog. */
export function defaultSmokeModel(models: Pick<CatalogModel, 'key'>[], loadedKey: string | null): string {
  return loadedKey && models.some((m) => m.key === loadedKey) ? loadedKey : '';
}

export interface Explanation {
  model: string | null;
  commits: number | null;
  reasoning: string;
  content: string;
  error: string | null;
  done: boolean;
}

export const EMPTY_EXPLANATION: Explanation = {
  model: null,
  commits: null,
  reasoning: '',
  content: '',
  error: null,
  done: false,
};

export function addExplainEvent(s: Explanation, e: ExplainEvent): Explanation {
  switch (e.type) {
    case 'start':
      return { ...EMPTY_EXPLANATION, model: e.model, commits: e.commits };
    case 'reasoning':
      return { ...s, reasoning: s.reasoning + e.text };
    case 'content':
      return { ...s, content: s.content + e.text };
    case 'error':
      return { ...s, error: e.message, done: true };
    case 'done':
      return { ...s, done: true };
  }
}
