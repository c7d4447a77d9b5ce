import { describe, expect, it } from 'vitest';
import { isJobRunning, isNearBottom, jobElapsedS, jobPercent, jobStateText, jobTone } from './jobs.js';

describe('job helpers', () => {
  it('ticks while running and freezes at the end', () => {
    const now = Date.parse('2026-03-04T12:00:30Z');
    expect(jobElapsedS({ started_at: '2026-03-04T12:00:00Z', finished_at: null }, now)).toBe(30);
    expect(
      jobElapsedS({ started_at: '2026-03-04T12:00:00Z', finished_at: '2026-03-04T12:00:10Z' }, now),
    ).toBe(10);
    expect(jobElapsedS({ started_at: 'garbage', finished_at: null }, now)).toBeNull();
  });
  it('fills the bar from progress, full when done, indeterminate when unknown', () => {
    expect(jobPercent({ state: 'running', progress: 0.426 })).toBe(43);
    expect(jobPercent({ state: 'running', progress: 1.7 })).toBe(100);
    expect(jobPercent({ state: 'running', progress: null })).toBeNull();
    expect(jobPercent({ state: 'succeeded', progress: null })).toBe(100);
  });
  it('says what a state means', () => {
    expect(isJobRunning({ state: 'running' })).toBe(true);
    expect(isJobRunning(null)).toBe(false);
    expect(jobStateText('interrupted')).toMatch(/restarted/);
    expect(jobTone('failed')).toBe('pill-danger');
    expect(jobTone('running')).toBe('pill-info');
  });
  it('follows only near the bottom', () => {
    expect(isNearBottom({ scrollHeight: 1000, scrollTop: 800, clientHeight: 190 })).toBe(true);
    expect(isNearBottom({ scrollHeight: 1000, scrollTop: 500, clientHeight: 190 })).toBe(false);
  });
});
