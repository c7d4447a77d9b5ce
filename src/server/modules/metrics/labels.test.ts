import { describe, expect, it } from 'vitest';
import { BoundedLabels, epochSeconds, ModelLabels, OTHER, ratio, routeLabel, stateSeries } from './labels.js';

describe('BoundedLabels', () => {
  it('keeps the first distinct values and maps later ones to other', () => {
    const b = new BoundedLabels(2);
    expect([b.label('a'), b.label('b'), b.label('c'), b.label('a')]).toEqual(['a', 'b', OTHER, 'a']);
  });
});

describe('routeLabel', () => {
  it('names matched route patterns, unmatched requests and odd strings', () => {
    const b = new BoundedLabels(8);
    expect(routeLabel('/v1/chat/completions', b)).toBe('/v1/chat/completions');
    expect(routeLabel('/v1/models/*', b)).toBe('/v1/models/*');
    expect(routeLabel(undefined, b)).toBe('unmatched');
    expect(routeLabel('/v1/x?key=secret', b)).toBe(OTHER);
    expect(routeLabel('/v1/"}\n', b)).toBe(OTHER);
  });
});

describe('ModelLabels', () => {
  it('labels known models by name, unknown as other, absent as none', () => {
    const m = new ModelLabels((x) => x === 'qwen');
    expect(m.label('qwen')).toBe('qwen');
    expect(m.label('made-up-by-a-client')).toBe(OTHER);
    expect(m.label(null)).toBe('none');
  });

  it('asks the catalog once per model within the TTL, and again after it', () => {
    let now = 0;
    let asked = 0;
    let known = false;
    const m = new ModelLabels(
      () => {
        asked++;
        return known;
      },
      { ttlMs: 1000, now: () => now },
    );
    expect(m.label('new-model')).toBe(OTHER);
    known = true;
    expect(m.label('new-model')).toBe(OTHER);
    expect(asked).toBe(1);
    now = 1001;
    expect(m.label('new-model')).toBe('new-model');
    expect(asked).toBe(2);
  });

  it('caps the number of distinct model names and survives a throwing catalog', () => {
    const m = new ModelLabels(() => true, { max: 2 });
    expect(['a', 'b', 'c'].map((x) => m.label(x))).toEqual(['a', 'b', OTHER]);
    const broken = new ModelLabels(() => {
      throw new Error('database is closed');
    });
    expect(broken.label('a')).toBe(OTHER);
  });
});

describe('small helpers', () => {
  it('stateSeries marks only the current state', () => {
    expect(stateSeries(['running', 'exited'] as const, 'exited')).toEqual([
      ['running', 0],
      ['exited', 1],
    ]);
    expect(stateSeries(['a'] as const, null)).toEqual([['a', 0]]);
  });

  it('ratio and epochSeconds keep missing values missing', () => {
    expect(ratio(42)).toBe(0.42);
    expect(ratio(null)).toBeNull();
    expect(ratio(Number.NaN)).toBeNull();
    expect(epochSeconds('1970-01-01T00:00:10.000Z')).toBe(10);
    expect(epochSeconds('garbage')).toBeNull();
    expect(epochSeconds(null)).toBeNull();
  });
});
