// What the simulated git checkouts share (launcher-repo.ts, matrix-bridge.ts): a maintainer's
// working copy ("upstream") that pushes to a bare origin in the sim's data dir, and the owner's
// clone of origin on a node. git runs with a clean environment (no system or user config) so the
// developer's settings never leak in; a fixed date keeps commit shas the same on every start.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface GitAuthor {
  name: string;
  email: string;
}

export function simGitEnv(author: GitAuthor, date?: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    LANG: 'C.UTF-8',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  };
}

export abstract class SimGitRepo {
  readonly origin: string;
  /** A maintainer's working copy: where upstream commits are made before they are pushed. */
  protected readonly upstream: string;

  constructor(
    dataDir: string,
    /** The folder under dataDir holding origin.git and upstream. */
    name: string,
    /** The owner's clone on the node. */
    readonly checkout: string,
    private readonly author: GitAuthor,
    /** Every commit's date when set; otherwise only the dates init() passes. */
    private readonly fixedDate?: string,
  ) {
    this.origin = join(dataDir, name, 'origin.git');
    this.upstream = join(dataDir, name, 'upstream');
  }

  protected git(cwd: string, args: string[], date = this.fixedDate): string {
    return execFileSync('git', args, {
      cwd,
      env: simGitEnv(this.author, date),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Removes what an earlier start left and starts an empty upstream repository on `main`. */
  protected startUpstream(): void {
    rmSync(join(this.origin, '..'), { recursive: true, force: true });
    rmSync(this.checkout, { recursive: true, force: true });
    mkdirSync(this.upstream, { recursive: true });
    this.git(this.upstream, ['init', '-q', '-b', 'main']);
  }

  /** Publishes upstream's commits as the bare origin and clones origin into the checkout. */
  protected publishAndClone(): void {
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
}
