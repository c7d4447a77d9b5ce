// spark-vllm-docker as a real git checkout on the head node: a bare "origin" in the sim's data
// dir (main branch, one initial commit with launch-cluster.sh, build-and-copy.sh and a README),
// cloned into ~/spark-vllm-docker so it tracks origin/main. Faults add commits upstream (the
// control plane's `behind` count) or leave local edits in the checkout (a dirty tree).
// Rebuilt on every start, with fixed dates for the initial commit so its hash is stable.
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const FILES = ['launch-cluster.sh', 'build-and-copy.sh', 'README.md', 'CHANGELOG.md'];
const EXECUTABLE = new Set(['launch-cluster.sh', 'build-and-copy.sh']);
const INITIAL_DATE = '2025-11-03T09:12:44+00:00';
/** A local edit that `git status` reports and that changes nothing about how the script runs. */
const LOCAL_EDIT = '# local tweak: keep the head container on the host network\n';

function gitEnv(date?: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    LANG: 'C.UTF-8',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'spark-vllm-docker maintainers',
    GIT_AUTHOR_EMAIL: 'maintainers@example.com',
    GIT_COMMITTER_NAME: 'spark-vllm-docker maintainers',
    GIT_COMMITTER_EMAIL: 'maintainers@example.com',
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  };
}

export class LauncherRepo {
  readonly origin: string;
  /** A maintainer's working copy: where upstream commits are made before they are pushed. */
  private readonly upstream: string;

  constructor(
    dataDir: string,
    private readonly sourceDir: string,
    /** Where the head's clone lives (~/spark-vllm-docker). */
    readonly checkout: string,
  ) {
    this.origin = join(dataDir, 'launcher', 'origin.git');
    this.upstream = join(dataDir, 'launcher', 'upstream');
  }

  private git(cwd: string, args: string[], date?: string): string {
    return execFileSync('git', args, {
      cwd,
      env: gitEnv(date),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  init(): void {
    rmSync(join(this.origin, '..'), { recursive: true, force: true });
    rmSync(this.checkout, { recursive: true, force: true });
    mkdirSync(this.upstream, { recursive: true });
    this.git(this.upstream, ['init', '-q', '-b', 'main']);
    for (const f of FILES) {
      copyFileSync(join(this.sourceDir, f), join(this.upstream, f));
      chmodSync(join(this.upstream, f), EXECUTABLE.has(f) ? 0o755 : 0o644);
    }
    this.git(this.upstream, ['add', ...FILES]);
    this.git(
      this.upstream,
      ['commit', '-q', '-m', 'Launcher and build scripts for DGX Spark clusters'],
      INITIAL_DATE,
    );
    this.git(join(this.origin, '..'), ['clone', '-q', '--bare', this.upstream, this.origin]);
    this.git(this.upstream, ['remote', 'add', 'origin', this.origin]);
    this.git(this.upstream, ['fetch', '-q', 'origin']);
    this.git(this.upstream, ['branch', '-q', '--set-upstream-to=origin/main', 'main']);
    this.git(join(this.checkout, '..'), ['clone', '-q', this.origin, this.checkout]);
  }

  /** A new commit on origin/main (the checkout is then one more commit behind). Returns its sha. */
  commit(message: string): string {
    appendFileSync(join(this.upstream, 'CHANGELOG.md'), `- ${message}\n`);
    this.git(this.upstream, ['commit', '-q', '-am', message]);
    this.git(this.upstream, ['push', '-q', 'origin', 'main']);
    return this.git(this.upstream, ['rev-parse', 'HEAD']).trim();
  }

  /** Leaves (or reverts) an uncommitted edit to a tracked file in the head's checkout. */
  setDirty(on: boolean): void {
    const file = join(this.checkout, 'launch-cluster.sh');
    if (on) appendFileSync(file, LOCAL_EDIT);
    else this.git(this.checkout, ['checkout', '-q', '--', 'launch-cluster.sh']);
  }
}
