import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { headerSecretRule } from './rules.js';
import { loadWithFile, problemsOf, tmpDataDir } from '../../../test/helpers/config.js';

const dirs: string[] = [];
const tmp = () => {
  const d = tmpDataDir('sc-qdrant-key-');
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('qdrant_api_key', () => {
  it('is unset by default; QDRANT_API_KEY or the file sets it', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).config.secrets.qdrant_api_key).toBeNull();
    const env = loadConfig({ DATA_DIR: tmp(), QDRANT_API_KEY: 'qd-Env-Key_1' }).config;
    expect(env.secrets.qdrant_api_key).toBe('qd-Env-Key_1');
    expect(loadWithFile('qdrant_api_key: "qd file key"\n').config.secrets.qdrant_api_key).toBe('qd file key');
  });

  it('the environment wins over the file', () => {
    const { config } = loadWithFile('qdrant_api_key: from-file\n', { QDRANT_API_KEY: 'from-env' });
    expect(config.secrets.qdrant_api_key).toBe('from-env');
  });

  it('refuses what an api-key header cannot carry, naming the key and never the value', () => {
    for (const [text, says] of [
      ['qdrant_api_key: ""\n', 'must not be empty'],
      ['qdrant_api_key: "SECRETqd\\nline2"\n', 'no line breaks'],
      ['qdrant_api_key: "SECRETqd\\u0007bell"\n', 'control characters'],
      ['qdrant_api_key: "SECRETqd-schlüssel"\n', 'printable ASCII'],
      ['qdrant_api_key: " SECRETqd"\n', 'start or end with a space'],
      ['qdrant_api_key: 12345\n', 'must be a string'],
    ] as const) {
      const lines = problemsOf(() => loadWithFile(text)).join('\n');
      expect(lines, text).toContain('qdrant_api_key');
      expect(lines, text).toContain(says);
      expect(lines, text).not.toMatch(/SECRETqd|12345/);
    }
    const fromEnv = problemsOf(() => loadConfig({ DATA_DIR: tmp(), QDRANT_API_KEY: 'SECRETqd\u0001x' }));
    expect(fromEnv.join('\n')).toContain('QDRANT_API_KEY');
    expect(fromEnv.join('\n')).not.toContain('SECRETqd');
  });

  it('accepts long keys (a Qdrant JWT) and inner spaces, refuses beyond 4096 characters', () => {
    expect(headerSecretRule(`eyJhbGciOiJIUzI1NiJ9.${'a'.repeat(600)}.sig`)).toBeNull();
    expect(headerSecretRule('two words')).toBeNull();
    expect(headerSecretRule('x'.repeat(4097))).toContain('at most 4096');
  });
});
