// The step logic against a fake of the outermost seam (commands on the node, /health): what runs,
// in which order, and what never runs (no restart after a failed compile, no rollback on shutdown).
import { describe, expect, it } from 'vitest';
import type { PatchStep } from '../../../common/services-api.js';
import { JobShutdown } from '../../platform/jobs/types.js';
import type { ShellCommand } from '../../platform/remote/sh.js';
import type { ExecResult } from '../../platform/remote/transport.js';
import { sha256 } from './overlay.js';
import { type PatchPlan, type PatchRemote, Steps } from './remote.js';
import { reapply, restore } from './steps.js';

const files = ['a.py', 'b.py'].map((name) => ({
  name,
  content: Buffer.from(`# ${name}\n`),
  sha256: sha256(`# ${name}\n`),
}));
const plan: PatchPlan = {
  node: 'spark2',
  container: 'parakeet-asr',
  appDir: '/app',
  files,
  healthTimeoutMs: 1000,
  healthPollMs: 100,
};

/** A container whose app dir is a map of path → sha; commands are recognised by their words. */
function fakeContainer(
  o: { compile?: number; healthyAfter?: number; copyCorrupts?: boolean; onExec?: (cmd: string) => void } = {},
) {
  const fs = new Map<string, string>([['/app/a.py', 'd'.repeat(64)]]);
  const commands: string[] = [];
  const stdins: string[] = [];
  let clock = 0;
  let healthCalls = 0;
  const ok = (stdout = ''): ExecResult => ({ code: 0, stdout, stderr: '' });
  const remote: PatchRemote = {
    exec: async (cmd: ShellCommand, opts) => {
      const t = cmd.text;
      commands.push(t);
      if (opts?.stdin !== undefined) stdins.push(String(opts.stdin));
      o.onExec?.(t);
      if (opts?.signal?.aborted) throw opts.signal.reason;
      if (t.includes('sha256sum')) {
        const paths = t.split(' sha256sum ')[1]!.split(' ');
        return {
          code: 0,
          stdout: paths
            .filter((p) => fs.has(p))
            .map((p) => `${fs.get(p)}  ${p}\n`)
            .join(''),
          stderr: '',
        };
      }
      if (t === 'mktemp -d') return ok('/tmp/tmp.x1\n');
      if (t.startsWith('docker cp')) {
        for (const f of files) fs.set(`/app/${f.name}`, o.copyCorrupts ? 'e'.repeat(64) : f.sha256);
        return ok();
      }
      if (t.includes('py_compile'))
        return {
          code: o.compile ?? 0,
          stdout: '',
          stderr: '  File "/app/b.py", line 1\nSyntaxError: invalid syntax',
        };
      if (t.includes('touch /app/.spark-control-orig/.taken'))
        fs.set('/app/.spark-control-orig/.taken', 'f'.repeat(64));
      return ok();
    },
    health: async () => {
      healthCalls += 1;
      const up = clock >= (o.healthyAfter ?? 0);
      return { ok: up, models: up ? ['m1'] : [], detail: up ? 'HTTP 200' : 'connect ECONNREFUSED' };
    },
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
  };
  return { remote, fs, commands, stdins, health: () => healthCalls };
}

const collect = () => {
  const seen: PatchStep[] = [];
  return { steps: new Steps((_all, last) => seen.push(last)), seen };
};
const names = (s: PatchStep[]) => s.map((x) => `${x.step}:${x.ok ? 'ok' : 'FAIL'}`);
const never = new AbortController().signal;

describe('reapply', () => {
  it('backs up originals once, copies over stdin, verifies, compiles, restarts once, polls health', async () => {
    const f = fakeContainer({ healthyAfter: 300 });
    const { steps, seen } = collect();
    await reapply(f.remote, plan, steps, never);
    expect(names(seen)).toEqual([
      'check:ok',
      'backup:ok',
      'copy:ok',
      'verify:ok',
      'py_compile:ok',
      'restart:ok',
      'health:ok',
    ]);
    expect(seen[0]!.detail).toBe('0 in sync, 1 drift, 1 missing in parakeet-asr');
    expect(f.commands.filter((c) => c === 'docker restart parakeet-asr')).toHaveLength(1);
    expect(f.health()).toBe(3);
    // Originals (only a.py existed) then the previous set; content never on a command line.
    const backup = f.commands.find((c) => c.includes('mkdir -p /app/.spark-control-orig'))!;
    expect(backup).toContain('docker exec parakeet-asr cp -p /app/a.py /app/.spark-control-orig/');
    expect(backup).not.toContain('/app/b.py');
    expect(f.stdins.sort()).toEqual(['# a.py\n', '# b.py\n']);
    expect(f.commands.some((c) => c.includes('# a.py'))).toBe(false);
    expect(f.commands).toContain('rm -rf /tmp/tmp.x1');

    // A second reapply keeps the first originals: only the previous set is backed up again.
    const g = collect();
    const before = f.commands.length;
    await reapply(f.remote, plan, g.steps, never);
    expect(
      f.commands.slice(before).some((c) => c.includes('.spark-control-orig') && c.includes('cp -p')),
    ).toBe(false);
    expect(g.seen[1]!.detail).toMatch(/originals kept from the first reapply/);
  });

  it('a syntax error fails at py_compile, rolls back and never restarts', async () => {
    const f = fakeContainer({ compile: 1 });
    const { steps, seen } = collect();
    await expect(reapply(f.remote, plan, steps, never)).rejects.toThrow(/syntax check failed.*not restarted/);
    expect(names(seen)).toEqual([
      'check:ok',
      'backup:ok',
      'copy:ok',
      'verify:ok',
      'py_compile:FAIL',
      'rollback:ok',
    ]);
    expect(seen[4]!.detail).toContain('SyntaxError');
    expect(f.commands.some((c) => c.includes('docker restart'))).toBe(false);
    // b.py had no original: the rollback removes it; a.py comes back from the previous set.
    const rollback = f.commands.at(-1)!;
    expect(rollback).toContain('cp -p /app/.spark-control-prev/a.py /app/');
    expect(rollback).toContain('rm -f /app/b.py');
  });

  it('files that differ after the copy fail verify before anything is compiled', async () => {
    const f = fakeContainer({ copyCorrupts: true });
    const { steps, seen } = collect();
    await expect(reapply(f.remote, plan, steps, never)).rejects.toThrow(/differ/);
    expect(names(seen)).toEqual(['check:ok', 'backup:ok', 'copy:ok', 'verify:FAIL', 'rollback:ok']);
    expect(f.commands.some((c) => c.includes('py_compile'))).toBe(false);
  });

  it('a health that never comes back fails the last step after the timeout', async () => {
    const f = fakeContainer({ healthyAfter: 1e9 });
    const { steps, seen } = collect();
    await expect(reapply(f.remote, plan, steps, never)).rejects.toThrow(/did not come back healthy/);
    expect(seen.at(-1)).toEqual({
      step: 'health',
      ok: false,
      detail: 'not healthy within 1 s (last: connect ECONNREFUSED)',
    });
    expect(f.health()).toBe(10);
  });

  it('a shutdown mid-copy leaves the files for restore (no rollback); a cancel rolls back', async () => {
    for (const [reason, rollback] of [
      [new JobShutdown(), false],
      [new Error('cancelled'), true],
    ] as const) {
      const ctrl = new AbortController();
      const f = fakeContainer({ onExec: (c) => c.startsWith('cat >') && ctrl.abort(reason) });
      const { steps, seen } = collect();
      await expect(reapply(f.remote, plan, steps, ctrl.signal)).rejects.toBe(reason);
      expect(names(seen)).toEqual(
        rollback ? ['check:ok', 'backup:ok', 'rollback:ok'] : ['check:ok', 'backup:ok'],
      );
      expect(f.commands).toContain('rm -rf /tmp/tmp.x1');
    }
  });
});

describe('restore', () => {
  it('refuses when no reapply ever kept the originals', async () => {
    const f = fakeContainer();
    const { steps, seen } = collect();
    await expect(restore(f.remote, plan, steps, never)).rejects.toThrow(/never reapplied/);
    expect(names(seen)).toEqual(['check:FAIL']);
    expect(f.commands).toHaveLength(1);
  });
});
