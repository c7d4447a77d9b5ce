// The swap's state machine as a pure function (ARCHITECTURE pattern 4): the executor feeds it
// events and performs the effects it returns; every transition is decided here and nowhere else.
//
// Winding down (a cancel, or a restart that found a half-launched engine) keeps the public state
// where it was and records the outcome to reach in `closing`: the swap turns `cancelled`/`failed`
// only once its one stop has finished, at the same moment the job ends and its locks are released.
import type { SwapState } from '../../../common/api.js';

export type SwapEvent =
  | { type: 'start' }
  | { type: 'head_ok' }
  | { type: 'stopped' }
  | { type: 'stop_failed'; reason: string }
  | { type: 'launched' }
  | { type: 'ready' }
  | { type: 'failed'; reason: string }
  | { type: 'cancel' }
  | { type: 'restarted' };

export type SwapEffect =
  /** Checks the head node answers before anything is stopped. */
  | { type: 'probe_head' }
  | { type: 'stop_cluster' }
  | { type: 'launch' }
  /** Aborts the remote step in flight (the head probe or the launch stream). */
  | { type: 'interrupt' }
  | { type: 'watch' }
  | { type: 'unwatch' }
  | { type: 'notify'; event: 'swap_complete' | 'swap_failed' }
  | { type: 'finish' };

export interface Closing {
  outcome: 'cancelled' | 'failed';
  reason: string;
}

export interface SwapMachine {
  state: SwapState;
  phase: string;
  error: string | null;
  /** Set while the swap winds down through its one stop (see the top). */
  closing?: Closing | null;
}

export interface Decision {
  next: SwapMachine;
  effects: SwapEffect[];
}

export const TERMINAL: ReadonlySet<SwapState> = new Set(['ready', 'failed', 'cancelled']);

export const CANCELLED = 'Cancelled by request';

const PHASES: Record<SwapState, string> = {
  pending: 'Waiting to start',
  stopping: 'Stopping the running model',
  launching: 'Launching vLLM',
  loading: 'Loading the model',
  ready: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const CLOSING_PHASE: Record<Closing['outcome'], string> = {
  cancelled: 'Stopping the switch…',
  failed: 'Stopping the half-launched engine',
};

const to = (state: SwapState, error: string | null = null): SwapMachine => ({
  state,
  phase: PHASES[state],
  error,
});

const closing = (m: SwapMachine, c: Closing): SwapMachine => ({
  state: m.state,
  phase: CLOSING_PHASE[c.outcome],
  error: null,
  closing: c,
});

const end = (state: 'cancelled' | 'failed', reason: string): Decision => ({
  next: to(state, reason),
  effects:
    state === 'failed'
      ? [{ type: 'notify', event: 'swap_failed' }, { type: 'finish' }]
      : [{ type: 'finish' }],
});

const stay = (m: SwapMachine): Decision => ({ next: m, effects: [] });

export function initialMachine(): SwapMachine {
  return to('pending');
}

export function decide(m: SwapMachine, e: SwapEvent): Decision {
  // A finished swap ignores everything: late results of cancelled work must not revive it.
  if (TERMINAL.has(m.state)) return stay(m);
  if (m.closing) return decideClosing(m, m.closing, e);
  switch (e.type) {
    case 'start':
      return m.state === 'pending' ? { next: m, effects: [{ type: 'probe_head' }] } : stay(m);
    case 'head_ok':
      return m.state === 'pending' ? { next: to('stopping'), effects: [{ type: 'stop_cluster' }] } : stay(m);
    case 'stopped':
      return m.state === 'stopping' ? { next: to('launching'), effects: [{ type: 'launch' }] } : stay(m);
    case 'stop_failed':
      return m.state === 'stopping' ? end('failed', e.reason) : stay(m);
    case 'launched':
      return m.state === 'launching' ? { next: to('loading'), effects: [{ type: 'watch' }] } : stay(m);
    case 'ready':
      return m.state === 'loading'
        ? {
            next: to('ready'),
            effects: [{ type: 'unwatch' }, { type: 'notify', event: 'swap_complete' }, { type: 'finish' }],
          }
        : stay(m);
    case 'failed': {
      const d = end('failed', e.reason);
      return m.state === 'loading' ? { ...d, effects: [{ type: 'unwatch' }, ...d.effects] } : d;
    }
    case 'cancel':
      return cancel(m);
    case 'restarted':
      return restarted(m);
  }
}

/** Cancel interrupts whatever runs, with exactly one stop (none before anything was touched). */
function cancel(m: SwapMachine): Decision {
  const wind = closing(m, { outcome: 'cancelled', reason: CANCELLED });
  switch (m.state) {
    case 'pending':
      return { next: to('cancelled', CANCELLED), effects: [{ type: 'interrupt' }, { type: 'finish' }] };
    case 'stopping':
      return { next: wind, effects: [] }; // the stop already running is the one stop
    case 'launching':
      return { next: wind, effects: [{ type: 'interrupt' }, { type: 'stop_cluster' }] };
    default:
      return { next: wind, effects: [{ type: 'unwatch' }, { type: 'stop_cluster' }] };
  }
}

/**
 * The control plane restarted under a swap that had not reached `loading` (a loading one is
 * re-attached instead). Before the launch nothing needs undoing; a launch may have left an engine
 * loading that nobody watches, so it is stopped once before the swap fails.
 */
function restarted(m: SwapMachine): Decision {
  const reason = `Spark Control restarted while the swap was ${m.state}; start it again`;
  if (m.state === 'pending' || m.state === 'stopping') return end('failed', reason);
  if (m.state === 'launching')
    return {
      next: closing(m, { outcome: 'failed', reason }),
      effects: [{ type: 'stop_cluster' }],
    };
  return stay(m);
}

function decideClosing(m: SwapMachine, c: Closing, e: SwapEvent): Decision {
  switch (e.type) {
    case 'stopped':
      return end(c.outcome, c.reason);
    case 'stop_failed':
      return end(c.outcome, `${c.reason}, but stopping failed: ${e.reason}`);
    case 'cancel':
      // A cancel while a restart winds down: the same stop, the owner's outcome.
      return c.outcome === 'cancelled'
        ? stay(m)
        : { next: closing(m, { outcome: 'cancelled', reason: CANCELLED }), effects: [] };
    default:
      return stay(m); // results of interrupted work
  }
}
