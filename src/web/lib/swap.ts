// Pure swap helpers: which states are running, the ticking elapsed time, progress, when the swap
// panel shows, and the sentences the confirm dialogs use. Unit-tested in swap.test.ts.
import type { ModelMode, SwapInfo, SwapState } from '../../common/api.js';
import { formatDuration } from './time.js';

const RUNNING: ReadonlySet<SwapState> = new Set<SwapState>(['pending', 'stopping', 'launching', 'loading']);

/** A finished swap stays on screen this long after a reload unless dismissed. */
export const RECENT_FINISH_MS = 15 * 60_000;

export function isSwapRunning(swap: Pick<SwapInfo, 'state'> | null | undefined): boolean {
  return !!swap && RUNNING.has(swap.state);
}

/**
 * Seconds since the swap started, at browser time `now`. `elapsed_s` was right when the answer
 * reached the browser (`receivedAt`), so server/browser clock skew does not matter.
 */
export function swapElapsedS(
  swap: Pick<SwapInfo, 'state' | 'elapsed_s'>,
  receivedAt: number,
  now: number,
): number {
  const base = Number.isFinite(swap.elapsed_s) ? Math.max(0, swap.elapsed_s) : 0;
  if (!isSwapRunning(swap) || receivedAt <= 0) return base;
  return base + Math.max(0, now - receivedAt) / 1000;
}

export interface SwapProgress {
  /** 0..1 for the bar. */
  fraction: number;
  /** Running longer than expected. */
  overdue: boolean;
}

/** Elapsed vs expected; held below 1 until the model is ready. */
export function swapProgress(state: SwapState, elapsedS: number, expectedS: number): SwapProgress {
  if (state === 'ready') return { fraction: 1, overdue: false };
  const ratio = expectedS > 0 ? elapsedS / expectedS : 0;
  const running = RUNNING.has(state);
  return {
    fraction: Math.max(0, Math.min(running ? 0.99 : 1, ratio)),
    overdue: running && ratio > 1,
  };
}

export interface PanelVisibility {
  /** The swap id the user dismissed last. */
  dismissedId: string | null;
  /** This page saw the swap running, so it stays until dismissed. */
  watched: boolean;
  now: number;
}

/** Running swaps always show; finished ones until dismissed, or for a while after a reload. */
export function shouldShowSwapPanel(swap: SwapInfo | null | undefined, v: PanelVisibility): boolean {
  if (!swap) return false;
  if (isSwapRunning(swap)) return true;
  if (swap.id === v.dismissedId) return false;
  if (v.watched) return true;
  const finished = swap.finished_at ? Date.parse(swap.finished_at) : Number.NaN;
  if (!Number.isFinite(finished)) return true;
  return v.now - finished <= RECENT_FINISH_MS;
}

/** Keeps the newer of two swaps (a late or replayed event must not replace the latest swap). */
export function newerSwap(current: SwapInfo | null | undefined, incoming: SwapInfo): SwapInfo {
  if (!current || current.id === incoming.id) return incoming;
  const a = Date.parse(current.started_at);
  const b = Date.parse(incoming.started_at);
  return Number.isFinite(a) && Number.isFinite(b) && a > b ? current : incoming;
}

/** The nodes a swap of this mode runs on: every node in cluster mode, the first one solo. */
export function swapNodes(mode: ModelMode, nodeNames: readonly string[]): string[] {
  return mode === 'cluster' ? [...nodeNames] : nodeNames.slice(0, 1);
}

/** "spark1", "spark1 and spark2", "a, b and c"; "the cluster" when unknown. */
export function joinNames(names: readonly string[]): string {
  if (names.length === 0) return 'the cluster';
  if (names.length === 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export interface SwitchPlan {
  /** What is loaded now (display name or model id), or null. */
  current: string | null;
  next: string;
  nodes: readonly string[];
  expectedS: number;
}

/** The Switch confirmation, exactly what happens. */
export function switchSentence(p: SwitchPlan): string {
  const where = joinNames(p.nodes);
  const dur = formatDuration(p.expectedS);
  if (!p.current) {
    return `Loads ${p.next} on ${where}; nothing is loaded now, so chat requests fail until it is ready, in about ${dur}.`;
  }
  return `Stops ${p.current} and loads ${p.next} on ${where}; chat requests fail for about ${dur} while it loads.`;
}

/** The Cancel confirmation for a running swap. */
export function cancelSentence(swap: Pick<SwapInfo, 'state' | 'display_name' | 'previous_model' | 'nodes'>) {
  const prev = swap.previous_model;
  const where = joinNames(swap.nodes);
  if (swap.state === 'pending') {
    return `Cancels the switch to ${swap.display_name} before it stops anything${prev ? `; ${prev} keeps serving` : ''}.`;
  }
  if (swap.state === 'stopping') {
    return `Cancels the switch to ${swap.display_name} while ${prev ?? 'the running model'} is being stopped on ${where}; chat requests may fail until you start another switch.`;
  }
  return `Stops loading ${swap.display_name} on ${where}. ${prev ? `${prev} was already stopped, so no` : 'No'} model is served until you start another switch.`;
}

export type Tone = 'pill-info' | 'pill-ok' | 'pill-danger' | 'pill-muted' | 'pill-warn';

const TONE: Record<SwapState, Tone> = {
  pending: 'pill-info',
  stopping: 'pill-info',
  launching: 'pill-info',
  loading: 'pill-info',
  ready: 'pill-ok',
  failed: 'pill-danger',
  cancelled: 'pill-muted',
};

export interface SwapHeadline {
  /** The state pill's word and colour. */
  state: SwapState;
  tone: Tone;
  /** The phase sentence beside the pill, or null when it would only repeat the pill. */
  phase: string | null;
}

/**
 * The pill and the phase text of a swap, both read from one SwapInfo: the server publishes state
 * and phase together on every transition, so they always agree. (The job stream's phase arrives
 * on another connection and may be ahead of the state — "Failed" beside a "loading" pill.)
 */
export function swapHeadline(swap: Pick<SwapInfo, 'state' | 'phase'>): SwapHeadline {
  const phase = swap.phase?.trim() || null;
  return {
    state: swap.state,
    tone: TONE[swap.state],
    phase: phase && phase.toLowerCase() !== swap.state ? phase : null,
  };
}
