import { afterEach, describe, expect, it, vi } from 'vitest';
import { Poll } from './poll.js';

describe('Poll', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks at once, then every interval, and no more once stopped', async () => {
    vi.useFakeTimers();
    const tick = vi.fn(() => Promise.resolve());
    const poll = new Poll(tick, 1000);
    poll.start();
    expect(tick).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2500);
    expect(tick).toHaveBeenCalledTimes(3);
    poll.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(tick).toHaveBeenCalledTimes(3);
  });

  it('a second start() neither ticks again nor starts a second timer', async () => {
    vi.useFakeTimers();
    const tick = vi.fn(() => Promise.resolve());
    const poll = new Poll(tick, 1000);
    poll.start();
    poll.start();
    expect(tick).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(tick).toHaveBeenCalledTimes(2);
    poll.stop();
  });

  it('can start again after a stop', async () => {
    vi.useFakeTimers();
    const tick = vi.fn(() => Promise.resolve());
    const poll = new Poll(tick, 1000);
    poll.start();
    poll.stop();
    poll.start();
    expect(tick).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(tick).toHaveBeenCalledTimes(3);
    poll.stop();
  });
});
