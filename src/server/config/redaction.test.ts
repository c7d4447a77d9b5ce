import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { personNames, RedactionConfigError } from '../modules/redaction/index.js';
import type { AppConfig } from './types.js';
import { validateSettings } from './validate.js';

describe('redaction settings', () => {
  it('defaults: 24 h retention, 1 MB texts, no names or patterns', () => {
    const r = validateSettings({});
    expect(r.ok && r.config.redaction).toEqual({
      retention_hours: 24,
      max_text_kb: 1024,
      names: [],
      names_file: null,
      patterns: [],
      default_region: null,
    });
    expect(
      r.ok && validateSettings({ api_keys: [{ name: 'crm', key: 'k1', always_redact: true }] }),
    ).toMatchObject({
      config: { api_keys: [{ name: 'crm', always_redact: true }] },
    });
  });

  it('names a bad custom pattern at start-up', () => {
    const r = validateSettings({
      redaction: {
        patterns: [
          { name: 'OK_ONE', regex: 'a+' },
          { name: 'BROKEN', regex: '(unclosed' },
          { name: 'EMAIL', regex: 'x' },
        ],
      },
    });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toContainEqual({
      path: 'redaction.patterns.1',
      message: expect.stringContaining('"BROKEN"'),
    });
    expect(problems).toContainEqual({
      path: 'redaction.patterns.2',
      message: expect.stringContaining('"EMAIL"'),
    });
    expect(problems.some((p) => p.path === 'redaction.patterns.0')).toBe(false);
  });

  it('reads the names file beside the config file; a missing one names its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-names-'));
    try {
      writeFileSync(join(dir, 'names.txt'), '# staff\nAda Lovelace\n\n  Grace Hopper \n');
      const config = (file: string) =>
        ({
          config_file: join(dir, 'config.yaml'),
          redaction: { names: ['Alan Turing'], names_file: file },
        }) as unknown as AppConfig;
      expect(personNames(config('names.txt'))).toEqual(['Alan Turing', 'Ada Lovelace', 'Grace Hopper']);
      expect(() => personNames(config('missing.txt'))).toThrow(RedactionConfigError);
      expect(() => personNames(config('missing.txt'))).toThrow(join(dir, 'missing.txt'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
