import { describe, expect, it } from 'vitest';
import type { SwapState } from '../../../common/api.js';
import {
  CANCELLED,
  decide,
  initialMachine,
  type SwapEffect,
  type SwapEvent,
  type SwapMachine,
} from './decide.js';

const EVENTS: Record<string, SwapEvent> = {
  start: { type: 'start' },
  head_ok: { type: 'head_ok' },
  stopped: { type: 'stopped' },
  stop_failed: { type: 'stop_failed', reason: 'docker hung' },
  launched: { type: 'launched' },
  ready: { type: 'ready' },
  failed: { type: 'failed', reason: 'boom' },
  cancel: { type: 'cancel' },
  restarted: { type: 'restarted' },
};

const plain = (state: SwapState): SwapMachine => ({ state, phase: `phase of ${state}`, error: null });
const cancelling = (state: SwapState): SwapMachine => ({
  ...plain(state),
  phase: 'Stopping the switch…',
  closing: { outcome: 'cancelled', reason: CANCELLED },
});
const abandoning: SwapMachine = {
  ...plain('launching'),
  phase: 'Stopping the half-launched engine',
  closing: { outcome: 'failed', reason: 'restarted' },
};

/** Every machine a swap can be in: the seven states, and the ones winding down through their stop. */
const MACHINES: Record<string, SwapMachine> = {
  pending: plain('pending'),
  stopping: plain('stopping'),
  launching: plain('launching'),
  loading: plain('loading'),
  ready: plain('ready'),
  failed: { ...plain('failed'), error: 'earlier' },
  cancelled: { ...plain('cancelled'), error: CANCELLED },
  'stopping (cancelling)': cancelling('stopping'),
  'launching (cancelling)': cancelling('launching'),
  'loading (cancelling)': cancelling('loading'),
  'launching (restart)': abandoning,
};

// Each cell: `next state[ (closing outcome)][: error] | effects` — `=` means unchanged, no effects.
const F = 'notify:swap_failed,finish';
const R = 'Spark Control restarted while the swap was';
const TABLE: Record<string, Record<string, string>> = {
  pending: {
    start: 'pending | probe_head',
    head_ok: 'stopping | stop_cluster',
    stopped: '=',
    stop_failed: '=',
    launched: '=',
    ready: '=',
    failed: `failed: boom | ${F}`,
    cancel: `cancelled: ${CANCELLED} | interrupt,finish`,
    restarted: `failed: ${R} pending; start it again | ${F}`,
  },
  stopping: {
    start: '=',
    head_ok: '=',
    stopped: 'launching | launch',
    stop_failed: `failed: docker hung | ${F}`,
    launched: '=',
    ready: '=',
    failed: `failed: boom | ${F}`,
    cancel: 'stopping (cancelled) | ',
    restarted: `failed: ${R} stopping; start it again | ${F}`,
  },
  launching: {
    start: '=',
    head_ok: '=',
    stopped: '=',
    stop_failed: '=',
    launched: 'loading | watch',
    ready: '=',
    failed: `failed: boom | ${F}`,
    cancel: 'launching (cancelled) | interrupt,stop_cluster',
    restarted: 'launching (failed) | stop_cluster',
  },
  loading: {
    start: '=',
    head_ok: '=',
    stopped: '=',
    stop_failed: '=',
    launched: '=',
    ready: 'ready | unwatch,notify:swap_complete,finish',
    failed: `failed: boom | unwatch,${F}`,
    cancel: 'loading (cancelled) | unwatch,stop_cluster',
    restarted: '=',
  },
  ...Object.fromEntries(
    ['ready', 'failed', 'cancelled'].map((s) => [
      s,
      Object.fromEntries(Object.keys(EVENTS).map((e) => [e, '='])),
    ]),
  ),
  ...Object.fromEntries(
    ['stopping (cancelling)', 'launching (cancelling)', 'loading (cancelling)'].map((s) => [
      s,
      {
        ...Object.fromEntries(Object.keys(EVENTS).map((e) => [e, '='])),
        stopped: `cancelled: ${CANCELLED} | finish`,
        stop_failed: `cancelled: ${CANCELLED}, but stopping failed: docker hung | finish`,
      },
    ]),
  ),
  'launching (restart)': {
    ...Object.fromEntries(Object.keys(EVENTS).map((e) => [e, '='])),
    stopped: `failed: restarted | ${F}`,
    stop_failed: `failed: restarted, but stopping failed: docker hung | ${F}`,
    cancel: 'launching (cancelled) | ',
  },
};

const effectName = (e: SwapEffect) => (e.type === 'notify' ? `notify:${e.event}` : e.type);

function render(before: SwapMachine, e: SwapEvent): string {
  const { next, effects } = decide(before, e);
  if (next === before && effects.length === 0) return '=';
  const state = next.closing ? `${next.state} (${next.closing.outcome})` : next.state;
  return `${state}${next.error ? `: ${next.error}` : ''} | ${effects.map(effectName).join(',')}`;
}

describe('decide: every state × event', () => {
  it('has a row for every machine and a cell for every event', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(MACHINES).sort());
    for (const row of Object.values(TABLE))
      expect(Object.keys(row).sort()).toEqual(Object.keys(EVENTS).sort());
  });

  for (const [name, machine] of Object.entries(MACHINES)) {
    for (const [event, e] of Object.entries(EVENTS)) {
      it(`${name} + ${event} → ${TABLE[name]![event]}`, () => {
        expect(render(machine, e)).toBe(TABLE[name]![event]);
      });
    }
  }
});

describe('decide: walks', () => {
  const walk = (events: SwapEvent[]) => events.reduce((m, e) => decide(m, e).next, initialMachine());

  it('keeps the public state while winding down and names the phase', () => {
    const m = walk([EVENTS.start!, EVENTS.head_ok!, EVENTS.stopped!, EVENTS.cancel!]);
    expect(m).toMatchObject({ state: 'launching', phase: 'Stopping the switch…', error: null });
    const done = walk([EVENTS.start!, EVENTS.head_ok!, EVENTS.stopped!, EVENTS.cancel!, EVENTS.stopped!]);
    expect(done).toMatchObject({ state: 'cancelled', phase: 'Cancelled', error: CANCELLED });
    expect(done.closing ?? null).toBeNull();
  });

  it('runs the happy path pending → stopping → launching → loading → ready', () => {
    const states: SwapState[] = [];
    let m = initialMachine();
    for (const e of ['start', 'head_ok', 'stopped', 'launched', 'ready']) {
      m = decide(m, EVENTS[e]!).next;
      states.push(m.state);
    }
    expect(states).toEqual(['pending', 'stopping', 'launching', 'loading', 'ready']);
  });
});
