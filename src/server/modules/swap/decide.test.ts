import { describe, expect, it } from 'vitest';
import { decide, initialMachine, type SwapEvent, type SwapMachine } from './decide.js';

const run = (events: SwapEvent[]) => {
  let m: SwapMachine = initialMachine();
  const effects: string[] = [];
  for (const e of events) {
    const d = decide(m, e);
    m = d.next;
    effects.push(...d.effects.map((x) => (x.type === 'notify' ? `notify:${x.event}` : x.type)));
  }
  return { m, effects };
};

describe('decide', () => {
  it('walks the happy path pending → stopping → launching → loading → ready', () => {
    const states: string[] = [];
    let m = initialMachine();
    for (const e of [
      { type: 'start' },
      { type: 'stopped' },
      { type: 'launched' },
      { type: 'ready' },
    ] as SwapEvent[]) {
      m = decide(m, e).next;
      states.push(m.state);
    }
    expect(states).toEqual(['stopping', 'launching', 'loading', 'ready']);
    expect(
      run([{ type: 'start' }, { type: 'stopped' }, { type: 'launched' }, { type: 'ready' }]).effects,
    ).toEqual(['stop_cluster', 'launch', 'watch', 'unwatch', 'notify:swap_complete', 'finish']);
  });

  it('fails from any running state with the reason, notifying once', () => {
    for (const prefix of [
      [],
      [{ type: 'start' }],
      [{ type: 'start' }, { type: 'stopped' }],
    ] as SwapEvent[][]) {
      const { m, effects } = run([
        ...prefix,
        { type: 'failed', reason: 'boom' },
        { type: 'failed', reason: 'again' },
      ]);
      expect(m).toMatchObject({ state: 'failed', error: 'boom' });
      expect(effects.filter((e) => e === 'notify:swap_failed')).toHaveLength(1);
    }
  });

  it('stops the cluster when cancelled after it started, but not before', () => {
    expect(run([{ type: 'cancel' }]).effects).toEqual(['unwatch', 'finish']);
    const mid = run([{ type: 'start' }, { type: 'stopped' }, { type: 'launched' }, { type: 'cancel' }]);
    expect(mid.m.state).toBe('cancelled');
    expect(mid.effects.slice(-3)).toEqual(['unwatch', 'stop_cluster', 'finish']);
  });

  it('ignores out-of-order and late events', () => {
    expect(run([{ type: 'ready' }]).m.state).toBe('pending');
    expect(run([{ type: 'start' }, { type: 'launched' }]).m.state).toBe('stopping');
    const done = run([
      { type: 'start' },
      { type: 'stopped' },
      { type: 'launched' },
      { type: 'ready' },
      { type: 'failed', reason: 'late' },
    ]);
    expect(done.m).toMatchObject({ state: 'ready', error: null });
    expect(run([{ type: 'cancel' }, { type: 'start' }]).m.state).toBe('cancelled');
  });
});
