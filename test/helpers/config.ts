// Helpers for tests of configuration loading.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/server/config/load.js';
import { problemLine } from '../../src/server/config/problems.js';

export const tmpDataDir = (prefix = 'sc-config-') => mkdtempSync(join(tmpdir(), prefix));

/** loadConfig with a config.yaml holding `yaml`, plus extra environment. */
export function loadWithFile(yaml: string, env: Record<string, string> = {}) {
  const dir = tmpDataDir();
  writeFileSync(join(dir, 'config.yaml'), yaml);
  return loadConfig({ DATA_DIR: dir, ...env });
}

/** The problems of the ConfigError `fn` throws, as `path: message` lines; anything else fails the test. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map(problemLine);
    throw e;
  }
  throw new Error('expected a ConfigError');
}
