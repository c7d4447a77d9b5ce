// The remote commands of launcher updates (SPEC §13, issue 12 items 5–6) and the pure readers of
// their output. Every command is built with `sh`; the launcher directory is validated as a path,
// commit ids as 40 hex digits and copy targets as host names before any of them reaches a shell.
import type { LauncherCommit } from '../../../common/updates-api.js';
import type { NodeConfig } from '../../config/types.js';
import { AppError } from '../../platform/http/errors.js';
import { pathArg, sh, type ShellCommand } from '../../platform/remote/sh.js';
import { validateHostName, validatePath } from '../../platform/remote/validators.js';

/** The image build-and-copy.sh builds, and the tag the previous one is kept under for a rollback. */
export const IMAGE = 'vllm-node';
export const ROLLBACK_IMAGE = 'vllm-node:rollback';
/** Pending commits listed at most (the count in `behind` is exact). */
export const LOG_LIMIT = 100;
/** Our own exit code for "the launcher directory is not a git checkout", far from git's 1 and 128. */
export const EXIT_NO_CHECKOUT = 93;

const MARK = '@@spark-control:';
const FIELD = '\x1f';
const RECORD = '\x1e';

const cdLauncher = (dir: string): ShellCommand =>
  sh`cd ${pathArg(validatePath(dir, 'vllm.launcher_dir'))} 2>/dev/null && git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo ${`${MARK}no-checkout`}; exit ${EXIT_NO_CHECKOUT}; }`;

/** A full commit id, as `git rev-parse HEAD` prints it; anything else never reaches `git reset`. */
export function validateCommit(sha: string): string {
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new AppError('INVALID_INPUT', 'A commit id must be 40 hex digits');
  return sha;
}

/**
 * One exec for the whole check: fetch, then marked sections for branch, head, counts against
 * origin/<branch>, the dirty state (tracked files only: build output left untracked does not block
 * `git pull --ff-only`) and the pending commits, newest first. GIT_TERMINAL_PROMPT=0 here and in
 * the pull: a remote that asks for credentials fails at once instead of waiting for a person.
 */
export function checkCommand(dir: string): ShellCommand {
  const format = ['%H', '%s', '%an', '%cI'].join('%x1f') + '%x1e';
  return sh`${cdLauncher(dir)}
fetch_err=$(GIT_TERMINAL_PROMPT=0 git fetch --quiet origin 2>&1) || { echo ${`${MARK}fetch-failed`}; printf '%s\\n' "$fetch_err" | tail -n 3; exit 1; }
b=$(git rev-parse --abbrev-ref HEAD) || exit 1
echo ${`${MARK}branch`}; printf '%s\\n' "$b"
echo ${`${MARK}head`}; git rev-parse HEAD || exit 1
echo ${`${MARK}counts`}; git rev-list --left-right --count "HEAD...origin/$b" || exit 1
echo ${`${MARK}dirty`}; git status --porcelain --untracked-files=no || exit 1
echo ${`${MARK}log`}; git log -n ${LOG_LIMIT} --format=${format} "HEAD..origin/$b" || exit 1
echo ${`${MARK}end`}`;
}

export interface CheckResult {
  branch: string;
  head: string;
  ahead: number;
  behind: number;
  dirty: string[];
  log: LauncherCommit[];
}

/** Reads checkCommand's output; throws an AppError saying what went wrong when it is incomplete. */
export function parseCheck(stdout: string, code: number | null, stderr = ''): CheckResult {
  const sections = new Map<string, string>();
  let current: string | null = null;
  let body: string[] = [];
  const lines = stdout.split('\n');
  for (const line of lines) {
    if (line.startsWith(MARK)) {
      if (current !== null) sections.set(current, body.join('\n'));
      current = line.slice(MARK.length);
      body = [];
    } else body.push(line);
  }
  if (current !== null) sections.set(current, body.join('\n'));
  if (sections.has('no-checkout'))
    throw new AppError('CONFLICT', 'The launcher directory is missing or is not a git checkout');
  if (sections.has('fetch-failed')) {
    const why = (sections.get('fetch-failed') ?? '').trim().split('\n').at(-1) || 'no output';
    throw new AppError('UPSTREAM_ERROR', `git fetch failed: ${why}`);
  }
  if (!sections.has('end')) {
    const why = stderr.trim().split('\n').at(-1) || `exit ${code ?? 'killed'}`;
    throw new AppError('UPSTREAM_ERROR', `Reading the launcher's git state failed: ${why}`);
  }
  const counts = /^(\d+)\s+(\d+)$/.exec((sections.get('counts') ?? '').trim());
  if (!counts) throw new AppError('UPSTREAM_ERROR', 'git rev-list printed no counts');
  const log = (sections.get('log') ?? '')
    .split(RECORD)
    .map((r) => r.replace(/^\n+/, ''))
    .filter((r) => r.trim() !== '')
    .map((r) => {
      const [sha = '', subject = '', author = '', date = ''] = r.split(FIELD);
      return { sha, subject, author, date: date.trim() };
    });
  return {
    branch: (sections.get('branch') ?? '').trim(),
    head: (sections.get('head') ?? '').trim(),
    ahead: Number(counts[1]),
    behind: Number(counts[2]),
    dirty: (sections.get('dirty') ?? '').split('\n').filter((l) => l.trim() !== ''),
    log,
  };
}

/** The dirty check apply runs right before its job (the snapshot may be old). */
export function statusCommand(dir: string): ShellCommand {
  return sh`${cdLauncher(dir)}
git rev-parse HEAD && git status --porcelain --untracked-files=no`;
}

export function parseStatus(stdout: string): { head: string; dirty: string[] } {
  const [head = '', ...rest] = stdout.split('\n');
  return { head: head.trim(), dirty: rest.filter((l) => l.trim() !== '') };
}

export function pullCommand(dir: string): ShellCommand {
  return sh`${cdLauncher(dir)}
GIT_TERMINAL_PROMPT=0 git pull --ff-only 2>&1 && git rev-parse HEAD`;
}

/** Where the head copies the image to: the fast link when set; a loopback host means the node only
 * looks local from the control plane (a tunnel, the simulator), so the head reaches it by name. */
export function copyHost(n: Pick<NodeConfig, 'name' | 'host' | 'qsfp_ip'>): string {
  const host = n.qsfp_ip ?? n.host;
  const loopback = /^127\./.test(host) || host === '::1' || host === 'localhost';
  return validateHostName(loopback ? n.name : host, 'copy target');
}

/** `./build-and-copy.sh`, copying to the given peers (none: build only, on the head). */
export function buildCommand(dir: string, copyTo: string[]): ShellCommand {
  const hosts = copyTo.map((h) => validateHostName(h, 'copy target'));
  const copy = hosts.length > 0 ? sh` -c ${hosts}` : sh``;
  return sh`${cdLauncher(dir)}
./build-and-copy.sh${copy} 2>&1`;
}

/** Keeps the current image as the rollback image; prints `tagged <id>` or `none`. */
export function tagRollbackCommand(): ShellCommand {
  return sh`if id=$(docker image inspect -f '{{.Id}}' ${IMAGE} 2>/dev/null); then docker tag ${IMAGE} ${ROLLBACK_IMAGE} && echo "tagged $id"; else echo none; fi`;
}

/** Puts the rollback image back under the image's name; prints `restored <id>` or `none`. */
export function restoreImageCommand(): ShellCommand {
  return sh`if id=$(docker image inspect -f '{{.Id}}' ${ROLLBACK_IMAGE} 2>/dev/null); then docker tag ${ROLLBACK_IMAGE} ${IMAGE} && echo "restored $id"; else echo none; fi`;
}

export function resetCommand(dir: string, sha: string): ShellCommand {
  return sh`${cdLauncher(dir)}
git reset --hard ${validateCommit(sha)} 2>&1`;
}

/** `tagged <id>` / `restored <id>` → the id; `none` → null; anything else → undefined. */
export function parseTagOutput(stdout: string): string | null | undefined {
  const last = stdout.trim().split('\n').at(-1)?.trim() ?? '';
  if (last === 'none') return null;
  const m = /^(?:tagged|restored) (\S+)$/.exec(last);
  return m ? (m[1] ?? null) : undefined;
}
