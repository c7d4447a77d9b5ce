import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { loadWithFile, problemsOf, tmpDataDir } from '../../../test/helpers/config.js';

const dirs: string[] = [];
const tmp = () => {
  const d = tmpDataDir('sc-metrics-config-');
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('metrics.token', () => {
  it('is unset by default, and METRICS_TOKEN sets it', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).config.metrics).toEqual({ token: null });
    const token = 'abcdef0123456789abcdef';
    expect(loadConfig({ DATA_DIR: tmp(), METRICS_TOKEN: token }).config.metrics.token).toBe(token);
  });

  it('comes from the file too', () => {
    const { config } = loadWithFile('metrics:\n  token: file-token-0123456789\n');
    expect(config.metrics.token).toBe('file-token-0123456789');
  });

  it('refuses a short token or one with spaces, naming the variable and never the value', () => {
    const short = problemsOf(() => loadConfig({ DATA_DIR: tmp(), METRICS_TOKEN: 'short-secret' })).join('\n');
    expect(short).toContain('METRICS_TOKEN');
    expect(short).toContain('at least 16 characters');
    expect(short).not.toContain('short-secret');
    const spaced = problemsOf(() => loadWithFile('metrics:\n  token: "has a space in the middle ok"\n')).join(
      '\n',
    );
    expect(spaced).toContain('metrics.token');
    expect(spaced).not.toContain('has a space');
  });
});
