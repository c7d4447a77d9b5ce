import { describe, expect, it } from 'vitest';
import type { SwapInfo } from '../../common/api.js';
import {
  cancelSentence,
  isSwapRunning,
  joinNames,
  newerSwap,
  RECENT_FINISH_MS,
  shouldShowSwapPanel,
  swapElapsedS,
  swapHeadline,
  swapNodes,
  swapProgress,
  switchSentence,
} from './swap.js';

const swap = (over: Partial<SwapInfo> = {}): SwapInfo => ({
  id: 's1',
  key: 'qwen',
  display_name: 'Qwen3 32B',
  model: 'Qwen/Qwen3-32B',
  mode: 'solo',
  nodes: ['spark1'],
  state: 'loading',
  phase: 'loading weights',
  holder: null,
  error: null,
  previous_model: 'Llama 3.3 70B',
  launch_cmd: './launch-cluster.sh --solo -d exec vllm serve Qwen/Qwen3-32B',
  started_at: '2025-03-04T10:00:00Z',
  finished_at: null,
  timings: {},
  elapsed_s: 100,
  expected_s: 300,
  progress: 0.33,
  log_tail: [],
  ...over,
});

describe('isSwapRunning / swapElapsedS', () => {
  it('knows the running states', () => {
    expect(isSwapRunning(swap({ state: 'pending' }))).toBe(true);
    expect(isSwapRunning(swap({ state: 'ready' }))).toBe(false);
    expect(isSwapRunning(null)).toBe(false);
  });
  it('ticks from the moment the answer arrived while running', () => {
    expect(swapElapsedS(swap(), 1_000, 6_000)).toBe(105);
    expect(swapElapsedS(swap({ state: 'failed' }), 1_000, 6_000)).toBe(100);
    expect(swapElapsedS(swap(), 1_000, 500)).toBe(100);
  });
});

describe('swapProgress', () => {
  it('is elapsed over expected, below 1 until ready', () => {
    expect(swapProgress('loading', 150, 300)).toEqual({ fraction: 0.5, overdue: false });
    expect(swapProgress('loading', 400, 300)).toEqual({ fraction: 0.99, overdue: true });
    expect(swapProgress('ready', 10, 300)).toEqual({ fraction: 1, overdue: false });
    expect(swapProgress('failed', 400, 300)).toEqual({ fraction: 1, overdue: false });
    expect(swapProgress('pending', 5, 0).fraction).toBe(0);
  });
});

describe('shouldShowSwapPanel', () => {
  const now = Date.parse('2025-03-04T10:10:00Z');
  const base = { dismissedId: null, watched: false, now };
  it('always shows a running swap', () => {
    expect(shouldShowSwapPanel(swap(), { ...base, dismissedId: 's1' })).toBe(true);
  });
  it('shows a recently finished swap until dismissed', () => {
    const done = swap({ state: 'failed', finished_at: '2025-03-04T10:05:00Z' });
    expect(shouldShowSwapPanel(done, base)).toBe(true);
    expect(shouldShowSwapPanel(done, { ...base, dismissedId: 's1' })).toBe(false);
  });
  it('hides an old finished swap unless this page watched it', () => {
    const old = swap({ state: 'ready', finished_at: new Date(now - RECENT_FINISH_MS - 1).toISOString() });
    expect(shouldShowSwapPanel(old, base)).toBe(false);
    expect(shouldShowSwapPanel(old, { ...base, watched: true })).toBe(true);
    expect(shouldShowSwapPanel(null, base)).toBe(false);
  });
});

describe('newerSwap', () => {
  it('keeps the latest swap', () => {
    const a = swap({ id: 'a', started_at: '2025-03-04T10:00:00Z' });
    const b = swap({ id: 'b', started_at: '2025-03-04T11:00:00Z' });
    expect(newerSwap(b, a)).toBe(b);
    expect(newerSwap(a, b)).toBe(b);
    const a2 = swap({ id: 'a', state: 'ready' });
    expect(newerSwap(a, a2)).toBe(a2);
    expect(newerSwap(null, a)).toBe(a);
  });
});

describe('nodes and sentences', () => {
  it('picks the nodes of a mode and names them', () => {
    expect(swapNodes('solo', ['spark1', 'spark2'])).toEqual(['spark1']);
    expect(swapNodes('cluster', ['spark1', 'spark2'])).toEqual(['spark1', 'spark2']);
    expect(joinNames([])).toBe('the cluster');
    expect(joinNames(['a', 'b', 'c'])).toBe('a, b and c');
  });
  it('says exactly what a switch does', () => {
    expect(
      switchSentence({ current: 'Llama', next: 'Qwen', nodes: ['spark1', 'spark2'], expectedS: 180 }),
    ).toBe(
      'Stops Llama and loads Qwen on spark1 and spark2; chat requests fail for about 3 min while it loads.',
    );
    expect(switchSentence({ current: null, next: 'Qwen', nodes: ['spark1'], expectedS: 45 })).toContain(
      'Loads Qwen on spark1; nothing is loaded now',
    );
  });
  it('says what cancelling does in each phase', () => {
    expect(cancelSentence(swap({ state: 'pending' }))).toContain('Llama 3.3 70B keeps serving');
    expect(cancelSentence(swap())).toBe(
      'Stops loading Qwen3 32B on spark1. Llama 3.3 70B was already stopped, so no model is served until you start another switch.',
    );
    expect(cancelSentence(swap({ previous_model: null }))).toContain('No model is served');
  });
});

describe('swapHeadline: the pill and the phase text come from one SwapInfo', () => {
  it('pairs each state with its own phase and colour', () => {
    expect(swapHeadline({ state: 'loading', phase: 'Loading the model' })).toEqual({
      state: 'loading',
      tone: 'pill-info',
      phase: 'Loading the model',
    });
    expect(swapHeadline({ state: 'failed', phase: 'Failed' })).toEqual({
      state: 'failed',
      tone: 'pill-danger',
      phase: null,
    });
    expect(swapHeadline({ state: 'ready', phase: ' ' }).phase).toBeNull();
  });
});
