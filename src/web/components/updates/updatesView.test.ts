import { describe, expect, it } from 'vitest';
import type { UpdateRecord, UpdatesResponse } from '../../../common/updates-api.js';
import {
  addExplainEvent,
  bannerHeadline,
  defaultSmokeModel,
  EMPTY_EXPLANATION,
  lastResultLine,
  phaseSteps,
  showBanner,
} from './updatesView.js';

const record = (o: Partial<UpdateRecord> = {}): UpdateRecord => ({
  id: 'u1',
  job_id: 'j1',
  kind: 'update',
  state: 'running',
  phase: 'building',
  from_commit: 'a1b2c3d4e5',
  to_commit: 'f6e5d4c3b2',
  rollback_image: 'vllm-node:rollback',
  smoke_model: null,
  smoke_result: null,
  error: null,
  started_at: '2026-12-01T10:00:00Z',
  finished_at: null,
  timings: { preparing: 3, pulling: 2 },
  ...o,
});

const snapshot = (o: Partial<UpdatesResponse> = {}): UpdatesResponse => ({
  ok: true,
  behind: 0,
  ahead: 0,
  dirty: false,
  current: 'a1b2c3d',
  branch: 'main',
  log: [],
  error: null,
  checked_at: null,
  checking: false,
  last: null,
  rollback_available: false,
  capabilities: null,
  ...o,
});

const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('showBanner', () => {
  it.each([
    ['nothing pending', snapshot(), false],
    ['commits pending', snapshot({ behind: 3 }), true],
    ['a failed check (counts mean nothing)', snapshot({ ok: false, behind: 3 }), false],
    ['an update running', snapshot({ last: record() }), true],
    ['the last update failed', snapshot({ last: record({ state: 'failed' }) }), true],
    ['the last update was interrupted', snapshot({ last: record({ state: 'interrupted' }) }), true],
    ['the last update succeeded, up to date', snapshot({ last: record({ state: 'succeeded' }) }), false],
  ])('%s → %s', (_name, u, shown) => {
    expect(showBanner(u)).toBe(shown);
  });

  it('hides on a server without the endpoint', () => {
    expect(showBanner(null)).toBe(false);
  });
});

describe('bannerHeadline', () => {
  it('names the project and says what it is not', () => {
    expect(bannerHeadline(3)).toBe(
      'spark-vllm-docker — the vLLM orchestration project — has 3 new commits. These are not firmware, OS or model updates.',
    );
    expect(bannerHeadline(1)).toContain('has 1 new commit.');
  });
});

describe('phaseSteps', () => {
  const status = (r: UpdateRecord) => phaseSteps(r).map((s) => `${s.phase}:${s.status}`);

  it('marks the phases before the current one done and leaves the rest pending (no smoke test)', () => {
    expect(status(record())).toEqual([
      'preparing:done',
      'pulling:done',
      'building:current',
      'copying:pending',
    ]);
    expect(phaseSteps(record())[0]?.seconds).toBe(3);
    expect(phaseSteps(record())[2]?.seconds).toBeNull();
  });

  it('shows the smoke test and restore when a smoke model was chosen', () => {
    expect(status(record({ smoke_model: 'small', phase: 'smoke_test' })).slice(-3)).toEqual([
      'copying:done',
      'smoke_test:current',
      'restoring:pending',
    ]);
  });

  it('marks where a failed update stopped', () => {
    expect(status(record({ state: 'failed' }))[2]).toBe('building:failed');
  });

  it('all done after success', () => {
    expect(status(record({ state: 'succeeded', phase: 'done' })).every((s) => s.endsWith(':done'))).toBe(
      true,
    );
  });

  it('a rollback has one step', () => {
    expect(status(record({ kind: 'rollback', phase: 'rolling_back' }))).toEqual(['rolling_back:current']);
  });
});

describe('lastResultLine', () => {
  it('success with commits, smoke result and duration', () => {
    const line = lastResultLine(
      record({
        state: 'succeeded',
        phase: 'done',
        smoke_model: 'qwen3-0.6b',
        smoke_result: 'passed',
        finished_at: '2026-12-01T10:12:00Z',
      }),
      NOW,
    );
    expect(line).toMatch(
      /^Last update: succeeded .+ \(a1b2c3d → f6e5d4c\), smoke test passed \(qwen3-0\.6b\), 12 min\.$/,
    );
  });

  it("failure names the phase and the server's error", () => {
    const line = lastResultLine(record({ state: 'failed', error: 'docker build exited 1' }), NOW);
    expect(line).toMatch(/^Last update failed .+ during building the vllm container: docker build exited 1$/);
  });

  it('a rollback, an interrupted and a running one', () => {
    expect(lastResultLine(record({ kind: 'rollback', state: 'succeeded', phase: 'done' }), NOW)).toMatch(
      /^Last rollback: succeeded .+ \(to a1b2c3d\)\.$/,
    );
    expect(lastResultLine(record({ state: 'interrupted' }), NOW)).toMatch(
      /interrupted by a Spark Control restart/,
    );
    expect(lastResultLine(record(), NOW)).toMatch(
      /^Last update running since .+: Building the vLLM container\.$/,
    );
  });
});

describe('defaultSmokeModel', () => {
  it('the loaded model when the catalog has it, else none', () => {
    const models = [{ key: 'a' }, { key: 'b' }];
    expect(defaultSmokeModel(models, 'b')).toBe('b');
    expect(defaultSmokeModel(models, 'gone')).toBe('');
    expect(defaultSmokeModel(models, null)).toBe('');
  });
});

describe('addExplainEvent', () => {
  it('keeps the thinking apart from the answer and ends on done or error', () => {
    let s = addExplainEvent(EMPTY_EXPLANATION, { type: 'start', model: 'm', commits: 2 });
    s = addExplainEvent(s, { type: 'reasoning', text: 'Let me ' });
    s = addExplainEvent(s, { type: 'reasoning', text: 'see.' });
    s = addExplainEvent(s, { type: 'content', text: 'Two ' });
    s = addExplainEvent(s, { type: 'content', text: 'changes.' });
    expect(s).toMatchObject({
      model: 'm',
      commits: 2,
      reasoning: 'Let me see.',
      content: 'Two changes.',
      done: false,
    });
    expect(addExplainEvent(s, { type: 'done' }).done).toBe(true);
    expect(addExplainEvent(s, { type: 'error', status: 502, message: 'cut off' })).toMatchObject({
      error: 'cut off',
      done: true,
      content: 'Two changes.',
    });
  });
});
