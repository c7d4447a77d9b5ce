import { describe, expect, it } from 'vitest';
import { EventBus } from './bus.js';

describe('EventBus', () => {
  it('delivers typed envelopes to subscribers until they unsubscribe', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const off = bus.subscribe((e) => seen.push(`${e.type}:${JSON.stringify(e.data)}`));
    bus.publish('node_state', { node: 'spark1', ok: false, error: 'down' });
    off();
    bus.publish('node_state', { node: 'spark1', ok: true, error: null });
    expect(seen).toEqual(['node_state:{"node":"spark1","ok":false,"error":"down"}']);
    expect(bus.subscriberCount).toBe(0);
  });

  it('keeps delivering when one subscriber throws', () => {
    const bus = new EventBus();
    let got = 0;
    bus.subscribe(() => {
      throw new Error('bad subscriber');
    });
    bus.subscribe(() => got++);
    bus.publish('node_state', { node: 'a', ok: true, error: null });
    expect(got).toBe(1);
  });

  it('replays the current state from every registered source', () => {
    const bus = new EventBus();
    bus.addReplay(() => [{ type: 'node_state', ts: 't', data: { node: 'a', ok: true, error: null } }]);
    bus.addReplay(() => []);
    expect(bus.currentState().map((e) => e.type)).toEqual(['node_state']);
  });
});
