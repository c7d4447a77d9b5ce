import { describe, expect, it } from 'vitest';
import { resolveOverlaps, detectAll, scrubText } from '../engine/scrub.js';
import { TaskMap } from '../engine/task-map.js';
import { buildDetectors, PRIORITY } from './index.js';

describe('buildDetectors', () => {
  it('builds every built-in type, the person detector only with names, plus custom patterns', () => {
    const types = (o: Parameters<typeof buildDetectors>[0]) => buildDetectors(o).map((d) => d.type);
    expect(types({ names: [], patterns: [] })).toEqual([
      'SECRET',
      'URL',
      'CARD',
      'IBAN',
      'EMAIL',
      'IP',
      'PHONE',
    ]);
    expect(types({ names: ['Ada'], patterns: [{ name: 'EMP_ID', regex: 'EMP-\\d+' }] })).toContain('PERSON');
    expect(
      types({
        names: ['Ada'],
        patterns: [{ name: 'EMP_ID', regex: 'EMP-\\d+' }],
        entities: ['EMP_ID', 'EMAIL'],
      }),
    ).toEqual(['EMAIL', 'EMP_ID']);
  });

  it('a credential URL beats the email read inside it; the value is gone and comes back', () => {
    const detectors = buildDetectors({ names: ['Ada Lovelace'], patterns: [], defaultRegion: 'US' });
    const text = 'Ada Lovelace: https://ada:pw@mail.example.com/x and ada@example.com';
    const table = new TaskMap();
    const out = scrubText(text, detectors, table);
    expect(out.text).toBe('[PERSON_1]: [URL_1] and [EMAIL_1]');
    expect(table.valueOf('[URL_1]')).toBe('https://ada:pw@mail.example.com/x');
  });

  it('equal-length overlaps go to the higher priority (SECRET over a custom pattern)', () => {
    const detectors = buildDetectors({ names: [], patterns: [{ name: 'TOKEN', regex: 'ghp_[A-Za-z0-9]+' }] });
    const token = `ghp_${'aB3'.repeat(12)}`;
    const kept = resolveOverlaps(detectAll(token, detectors));
    expect(kept.map((d) => d.type)).toEqual(['SECRET']);
    expect(PRIORITY.SECRET).toBeGreaterThan(PRIORITY.CUSTOM);
  });

  it('a custom pattern that runs out of time makes the whole scrub throw (fail-closed)', () => {
    const detectors = buildDetectors({
      names: [],
      patterns: [{ name: 'SLOW', regex: '\\d*\\d*\\d*x' }],
      customPatternTimeoutMs: 20,
    });
    expect(() => scrubText('1'.repeat(20_000), detectors, new TaskMap())).toThrow(/SLOW/);
  });
});
