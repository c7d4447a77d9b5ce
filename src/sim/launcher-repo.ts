// spark-vllm-docker as a real git checkout on the head node: a bare "origin" in the sim's data
// dir (main branch, two commits with launch-cluster.sh, build-and-copy.sh and a README), cloned
// into ~/spark-vllm-docker so it tracks origin/main. Faults add commits upstream (the control
// plane's `behind` count) or leave local edits in the checkout (a dirty tree).
// Rebuilt on every start, with fixed dates for the commits so their hashes are stable.
//
// Two launcher versions: the first commit is an older launcher that joins the `exec` words into
// one string with no quoting (`COMMAND_TO_RUN="$@"`, then `bash -c`), as upstream did before it
// quoted them; the second (main) quotes each word with `printf %q`. `setVersion('legacy')` resets
// the checkout to that commit (one behind origin/main), as on a Spark that was never updated.
// Before both, the root commit `no-solo` is a still older launcher without `--solo` (in neither
// its usage nor its argument parsing): what the control plane's capability check must notice.
import { appendFileSync, chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimGitRepo } from './git-repo.js';

const FILES = ['launch-cluster.sh', 'build-and-copy.sh', 'README.md', 'CHANGELOG.md'];
const EXECUTABLE = new Set(['launch-cluster.sh', 'build-and-copy.sh']);
const INITIAL_DATE = '2025-11-03T09:12:44+00:00';
const LEGACY_DATE = '2025-09-22T17:40:03+00:00';
const NO_SOLO_DATE = '2025-08-11T08:05:19+00:00';
export const LAUNCHER_VERSIONS = ['current', 'legacy', 'no-solo'] as const;
export type LauncherVersion = (typeof LAUNCHER_VERSIONS)[number];

/** How the current script reads the exec command, and how the older one did. */
const QUOTED_EXEC = 'COMMAND_TO_RUN=$(printf "%q " "$@")';
const UNQUOTED_EXEC = 'COMMAND_TO_RUN="$@"';

/** The older launcher: the same script except that the exec words are joined unquoted. */
export function legacyLauncher(current: string): string {
  if (!current.includes(QUOTED_EXEC)) throw new Error('launch-cluster.sh no longer has the quoted exec line');
  return current.replace(QUOTED_EXEC, UNQUOTED_EXEC);
}
/** The launcher before `--solo`: the legacy script without the option's usage lines and its case. */
const SOLO_LINES = [
  ' [--solo]',
  '    echo "  --solo          Solo mode: skip autodetection, launch only on current node, do not launch Ray cluster"\n',
  '        --solo) SOLO_MODE="true" ;;\n',
];
export function noSoloLauncher(current: string): string {
  let s = legacyLauncher(current);
  for (const line of SOLO_LINES) {
    if (!s.includes(line)) throw new Error(`launch-cluster.sh no longer has ${JSON.stringify(line)}`);
    s = s.replace(line, '');
  }
  return s;
}
/** A local edit that `git status` reports and that changes nothing about how the script runs. */
const LOCAL_EDIT = '# local tweak: keep the head container on the host network\n';

export class LauncherRepo extends SimGitRepo {
  constructor(
    dataDir: string,
    private readonly sourceDir: string,
    /** Where the head's clone lives (~/spark-vllm-docker). */
    checkout: string,
  ) {
    super(dataDir, 'launcher', checkout, {
      name: 'spark-vllm-docker maintainers',
      email: 'maintainers@example.com',
    });
  }

  private readonly shas: Record<LauncherVersion, string> = { 'no-solo': '', legacy: '', current: '' };

  init(version: LauncherVersion = 'current'): void {
    this.startUpstream();
    for (const f of FILES) {
      copyFileSync(join(this.sourceDir, f), join(this.upstream, f));
      chmodSync(join(this.upstream, f), EXECUTABLE.has(f) ? 0o755 : 0o644);
    }
    const script = join(this.upstream, 'launch-cluster.sh');
    const current = readFileSync(script, 'utf8');
    writeFileSync(script, noSoloLauncher(current));
    this.git(this.upstream, ['add', ...FILES]);
    this.git(
      this.upstream,
      ['commit', '-q', '-m', 'Launcher and build scripts for DGX Spark clusters'],
      NO_SOLO_DATE,
    );
    this.shas['no-solo'] = this.git(this.upstream, ['rev-parse', 'HEAD']).trim();
    writeFileSync(script, legacyLauncher(current));
    this.git(
      this.upstream,
      ['commit', '-q', '-am', 'Add --solo: launch on this node only, without Ray'],
      LEGACY_DATE,
    );
    this.shas.legacy = this.git(this.upstream, ['rev-parse', 'HEAD']).trim();
    writeFileSync(script, current);
    this.git(
      this.upstream,
      ['commit', '-q', '-am', 'exec: quote each word of the command with printf %q'],
      INITIAL_DATE,
    );
    this.shas.current = this.git(this.upstream, ['rev-parse', 'HEAD']).trim();
    this.publishAndClone();
    if (version !== 'current') this.setVersion(version);
  }

  /** Puts the head's checkout on the given launcher version (`git reset --hard`, local edits lost). */
  setVersion(version: LauncherVersion): string {
    const sha = this.shas[version];
    if (!sha) throw new Error(`unknown launcher version ${String(version)}`);
    this.git(this.checkout, ['reset', '-q', '--hard', sha]);
    return sha;
  }

  /** Leaves (or reverts) an uncommitted edit to a tracked file in the head's checkout. */
  setDirty(on: boolean): void {
    const file = join(this.checkout, 'launch-cluster.sh');
    if (on) appendFileSync(file, LOCAL_EDIT);
    else this.git(this.checkout, ['checkout', '-q', '--', 'launch-cluster.sh']);
  }
}
