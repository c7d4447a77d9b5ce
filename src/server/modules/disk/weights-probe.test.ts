// The one-model probe run by real bash on a real HF cache layout (src/sim/hf-cache.ts) and on a
// local-path model, and its parser's refusal to read anything half-said as an answer.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import { modelRepo, writeHfRepo } from '../../../sim/hf-cache.js';
import { parseWeightsProbe, weightsProbeCommand } from './weights-probe.js';

describe('weightsProbeCommand', () => {
  let home = '';
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const run = (m: { repo: string | null; path: string | null }) => {
    const r = runShellSandboxed(weightsProbeCommand(m).text, { home });
    return parseWeightsProbe('spark2', {
      code: r.status,
      stdout: r.stdout.toString(),
      stderr: r.stderr.toString(),
    });
  };

  it('says present with the apparent size, incomplete while a blob is .incomplete, missing when absent', () => {
    home = mkdtempSync(join(tmpdir(), 'sc-probe-'));
    writeHfRepo(home, modelRepo('org/full', 3e9));
    writeHfRepo(home, modelRepo('org/half', 2e9, { incomplete: true }));
    const full = run({ repo: 'org/full', path: null });
    expect(full.state).toBe('present');
    expect(full.state === 'present' && full.bytes).toBeGreaterThanOrEqual(3e9);
    expect(run({ repo: 'org/half', path: null }).state).toBe('incomplete');
    expect(run({ repo: 'org/none', path: null })).toEqual({ state: 'missing', bytes: 0 });
    // A prefix of another repo's name is another repo.
    expect(run({ repo: 'org/ful', path: null }).state).toBe('missing');
  });

  it('checks a local-path model at its path (complete with a config.json)', () => {
    home = mkdtempSync(join(tmpdir(), 'sc-probe-'));
    const dir = join(home, 'models', 'my-tune');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'weights.safetensors'), 'x'.repeat(1000));
    expect(run({ repo: null, path: dir }).state).toBe('incomplete');
    writeFileSync(join(dir, 'config.json'), '{}');
    expect(run({ repo: null, path: dir }).state).toBe('present');
    expect(run({ repo: null, path: join(home, 'nope') }).state).toBe('missing');
  });
});

describe('parseWeightsProbe', () => {
  it.each([
    ['', 0],
    ['W\t1\t5\t1\n', 0], // no end marker: cut short
    ['W\t1\tlots\t1\n@@end\n', 0],
    ['Permission denied\n', 255],
  ])('reads %j as unknown, never as missing', (stdout, code) => {
    const r = parseWeightsProbe('spark2', { code, stdout, stderr: 'boom' });
    expect(r.state).toBe('unknown');
    expect(r.state === 'unknown' && r.error).toMatch(/^spark2: the weights check did not finish/);
  });
});
