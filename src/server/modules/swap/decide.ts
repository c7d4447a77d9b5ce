// The swap's state machine as a pure function (ARCHITECTURE pattern 4): the executor feeds it
// events and performs the effects it returns; every transition is decided here and nowhere else.
import type { SwapState } from '../../../common/api.js';

export type SwapEvent =
  | { type: 'start' }
  | { type: 'stopped' }
  | { type: 'launched' }
  | { type: 'ready' }
  | { type: 'failed'; reason: string }
  | { type: 'cancel' };

export type SwapEffect =
  | { type: 'stop_cluster' }
  | { type: 'launch' }
  | { type: 'watch' }
  | { type: 'unwatch' }
  | { type: 'notify'; event: 'swap_complete' | 'swap_failed' }
  | { type: 'finish' };

export interface SwapMachine {
  state: SwapState;
  phase: string;
  error: string | null;
}

export interface Decision {
  next: SwapMachine;
  effects: SwapEffect[];
}

export const TERMINAL: ReadonlySet<SwapState> = new Set(['ready', 'failed', 'cancelled']);

const PHASES: Record<SwapState, string> = {
  pending: 'Waiting to start',
  stopping: 'Stopping the running model',
  launching: 'Launching vLLM',
  loading: 'Loading the model',
  ready: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const to = (state: SwapState, error: string | null = null): SwapMachine => ({
  state,
  phase: PHASES[state],
  error,
});

export function initialMachine(): SwapMachine {
  return to('pending');
}

export function decide(m: SwapMachine, e: SwapEvent): Decision {
  // A finished swap ignores everything: late results of cancelled work must not revive it.
  if (TERMINAL.has(m.state)) return { next: m, effects: [] };
  switch (e.type) {
    case 'start':
      return m.state === 'pending' ? { next: to('stopping'), effects: [{ type: 'stop_cluster' }] } : stay(m);
    case 'stopped':
      return m.state === 'stopping' ? { next: to('launching'), effects: [{ type: 'launch' }] } : stay(m);
    case 'launched':
      return m.state === 'launching' ? { next: to('loading'), effects: [{ type: 'watch' }] } : stay(m);
    case 'ready':
      return m.state === 'loading'
        ? {
            next: to('ready'),
            effects: [{ type: 'unwatch' }, { type: 'notify', event: 'swap_complete' }, { type: 'finish' }],
          }
        : stay(m);
    case 'failed':
      return {
        next: to('failed', e.reason),
        effects: [{ type: 'unwatch' }, { type: 'notify', event: 'swap_failed' }, { type: 'finish' }],
      };
    case 'cancel':
      // Leave no half-loaded engine behind: a cancelled load is stopped, not abandoned.
      return {
        next: to('cancelled', 'Cancelled by request'),
        effects: [
          { type: 'unwatch' },
          ...(m.state === 'pending' ? [] : [{ type: 'stop_cluster' } as const]),
          { type: 'finish' },
        ],
      };
  }
}

const stay = (m: SwapMachine): Decision => ({ next: m, effects: [] });
