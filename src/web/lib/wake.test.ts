import { describe, expect, it } from 'vitest';
import { describeWake, wakingElapsedS } from './wake.js';

describe('wakingElapsedS', () => {
  const since = '2026-01-01T00:00:00.000Z';
  const until = '2026-01-01T00:05:00.000Z';
  const t0 = Date.parse(since);

  it('counts seconds from the wake while waiting', () => {
    expect(wakingElapsedS({ waking_since: since, waking_until: until }, t0 + 12_500)).toBe(12.5);
  });

  it('is null when not waking, once the wait ran out, or for unreadable times', () => {
    expect(wakingElapsedS({}, t0)).toBeNull();
    expect(wakingElapsedS({ waking_since: null, waking_until: null }, t0)).toBeNull();
    expect(wakingElapsedS({ waking_since: since, waking_until: until }, t0 + 300_000)).toBeNull();
    expect(wakingElapsedS({ waking_since: 'soon', waking_until: until }, t0)).toBeNull();
  });
});

describe('describeWake', () => {
  it('names each way the packet went and why others failed', () => {
    expect(
      describeWake({
        sent_via: [
          { via: 'peer', target: 'spark1' },
          { via: 'broadcast', target: '255.255.255.255:9' },
        ],
        failed: [{ via: 'peer', target: 'spark3', error: 'python3 is not installed on spark3' }],
      }),
    ).toEqual({
      sent: 'Sent from spark1 over SSH, broadcast to 255.255.255.255:9.',
      failed: ['Not from spark3 over SSH: python3 is not installed on spark3'],
    });
  });

  it('says when nothing was sent', () => {
    expect(describeWake({ sent_via: [], failed: [] }).sent).toBe('Not sent.');
  });
});
