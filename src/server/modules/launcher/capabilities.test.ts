import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noSoloLauncher } from '../../../sim/launcher-repo.js';
import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import { quote } from '../../platform/remote/sh.js';
import { lackingFor, launcherCapabilities, parseLauncherHelp } from './capabilities.js';

const SIM_SCRIPT = join(import.meta.dirname, '../../../sim/shims/launcher/launch-cluster.sh');

/** What a script prints for `--help` (its usage exits 1, as upstream's does). */
function helpOf(script: string): string {
  const r = runShellSandboxed(`printf '%s' ${quote(script)} > l.sh && bash l.sh --help`);
  expect(r.status).toBe(1);
  return r.stdout.toString() + r.stderr.toString();
}

// Abridged from the `--help` output of eugr/spark-vllm-docker's launch-cluster.sh (late 2026):
// the Usage line, a few option lines of each shape, the action line and trailing prose.
const UPSTREAM_HELP = [
  'Usage: ./launch-cluster.sh [-n <node_ips>] [-t <image_name>] [--name <container_name>] [--eth-if <if_name>] [--ib-if <if_name>] [--nccl-debug <level>] [--check-config] [--solo] [--ray|--no-ray] [-p <host:container>] [-v <local:container>] [-d] [action] [command]',
  '  -n, --nodes     Comma-separated list of node IPs (Optional, auto-detected if omitted)',
  '  -e, --env       Environment variable to pass to container (e.g. -e VAR=val)',
  '  --apply-vllm-pr Apply a vLLM PR number or full GitHub PR URL to the installed runtime package before launch (Can be specified multiple times)',
  '  --solo          Solo mode: skip autodetection, launch only on current node, do not launch Ray cluster',
  '  -p, --publish   Publish a container port in Docker format (e.g. -p 8000:8000). Solo mode only; can be specified multiple times.',
  "  -d              Daemon mode (only for 'start' action)",
  '  --config        Path to .env configuration file (default: .env in script directory)',
  '  --setup/--discover  Force autodiscovery and save configuration (even if .env exists)',
  '  action          start | stop | status | exec (Default: start). Not compatible with --launch-script.',
  "  command         Command to run (only for 'exec' action). Not compatible with --launch-script.",
  '',
  'vLLM serve orchestration:',
  '  Do not pass --distributed-executor-backend, --nnodes, --node-rank,',
  '',
  'Launch Script Usage:',
  '  ./launch-cluster.sh --launch-script examples/my-script.sh   # Script copied to container and executed',
].join('\n');

/** An older launcher: no --solo anywhere (solo came from a one-node config only). */
const OLD_HELP = [
  'Usage: ./launch-cluster.sh [-n <node_ips>] [-t <image_name>] [--name <container_name>] [--check-config] [-d] [action] [command]',
  '  -n, --nodes     Comma-separated list of node IPs (Optional, auto-detected if omitted)',
  "  -d              Daemon mode (only for 'start' action)",
  '  action          start | stop | status | exec (Default: start)',
].join('\n');

describe('launcherCapabilities', () => {
  it.each([
    ['the simulated current launcher', () => helpOf(readFileSync(SIM_SCRIPT, 'utf8')), []],
    ['upstream (abridged real output)', () => UPSTREAM_HELP, []],
    [
      'the simulated no-solo launcher',
      () => helpOf(noSoloLauncher(readFileSync(SIM_SCRIPT, 'utf8'))),
      ['--solo'],
    ],
    ['an older launcher without --solo', () => OLD_HELP, ['--solo']],
    [
      'a launcher with --daemon instead of -d',
      () => OLD_HELP.replace('[-d]', '[--daemon]').replace('  -d  ', '  --daemon'),
      ['-d', '--solo'],
    ],
    ['a launcher without the exec action', () => OLD_HELP.replace(' | exec', ''), ['exec', '--solo']],
    [
      'actions listed on the Usage line only',
      () => 'Usage: ./launch-cluster.sh [-n <ips>] [--solo] [-d] start|stop|status|exec <cmd…>',
      [],
    ],
    [
      '--solo only mentioned in a description',
      () => OLD_HELP.replace('auto-detected if omitted', 'ignored with --solo; see -d'),
      ['--solo'],
    ],
  ])('%s', (_name, text, missing) => {
    const caps = launcherCapabilities('abc1234def', text());
    expect(caps).not.toBeNull();
    expect(caps?.missing).toEqual(missing);
    expect(caps).toMatchObject({
      commit: 'abc1234def',
      daemon: !missing.includes('-d'),
      exec: !missing.includes('exec'),
      solo: !missing.includes('--solo'),
    });
  });

  it('reads every option of the upstream text, whichever shape it is listed in', () => {
    const help = parseLauncherHelp(UPSTREAM_HELP);
    for (const o of [
      '-n',
      '--nodes',
      '-e',
      '--env',
      '--ray',
      '--no-ray',
      '-p',
      '--publish',
      '-v',
      '--setup',
      '--discover',
    ])
      expect(help?.options.has(o), o).toBe(true);
    expect([...(help?.actions ?? [])]).toEqual(['start', 'stop', 'status', 'exec']);
    // Words of prose are never options.
    expect(help?.options.has('--distributed-executor-backend')).toBe(false);
    expect(help?.options.has('--launch-script')).toBe(false);
  });

  it.each([
    ['a missing script', 'bash: line 1: ./launch-cluster.sh: No such file or directory'],
    ['an empty answer', ''],
    ['a script that breaks before its usage', 'Error: Unknown argument or action: --help'],
  ])('is null for %s', (_name, text) => {
    expect(launcherCapabilities('abc', text)).toBeNull();
  });
});

describe('lackingFor', () => {
  const caps = launcherCapabilities('c0ffee', OLD_HELP)!;
  it('asks --solo only of solo models', () => {
    expect(lackingFor(caps, 'solo')).toEqual(['--solo']);
    expect(lackingFor(caps, 'cluster')).toEqual([]);
  });
  it('asks -d and exec of every model', () => {
    const bare = launcherCapabilities('c0ffee', 'Usage: ./launch-cluster.sh [--solo] [action]')!;
    expect(lackingFor(bare, 'cluster')).toEqual(['-d', 'exec']);
    expect(lackingFor(bare, 'solo')).toEqual(['-d', 'exec']);
  });
});
