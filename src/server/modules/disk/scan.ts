// One SSH exec per node and refresh: free space of `/` and of the HF cache's filesystem, every repo
// directory in `~/.cache/huggingface/hub` with its apparent size and whether a blob is still
// `.incomplete`, and each local-path model probed at its path. The script is constant apart from
// the (validated, quoted) paths; parseScan turns its marked sections into fields and never throws.
import { validatePath } from '../../platform/remote/validators.js';
import { joinCommands, pathArg, raw, sh, type ShellCommand } from '../../platform/remote/sh.js';
import type { FsSpace } from '../../../common/disk-api.js';
import { parseRepoDir } from './names.js';

/** The cache directory, as huggingface_hub computes it without HF_HOME / HF_HUB_CACHE. */
export const HUB = raw('"$HOME"/.cache/huggingface/hub');

// The repos come last, as NUL-terminated records (a file name can hold a newline, never a NUL), so
// no directory name can forge a line of the sections before it. One `find` whatever the number of
// repos (a scan per repo cost seconds over 16 nodes): `D` a repo directory, `X` a `models--*` entry
// that is not a directory (never followed), `B` a blob with its apparent size (`%s`: sparse files
// count in full; a repo's size is the sum of its blobs), `S` a snapshot entry. Other entries are
// pruned. parseRepoDir checks every name again.
const REPOS = raw(
  [
    'cd "$hub" 2>/dev/null && find . -mindepth 1 -maxdepth 4',
    "  \\( ! -path './*/*' \\( -name 'models--*' -type d -printf 'D\\t%P\\0' -o -name 'models--*' -printf 'X\\0' -o -prune \\) \\)",
    "  -o \\( -path './models--*/blobs/*' -type f -printf 'B\\t%s\\t%P\\0' \\)",
    "  -o \\( -path './models--*/snapshots/*/*' -printf 'S\\t%P\\0' \\) 2>/dev/null",
  ].join(' '),
);

/** The scan for one node; `paths` are local-path models (validated here, quoted by `sh`). */
export function scanCommand(paths: readonly string[]): ShellCommand {
  const probes = paths.map((p, i) => {
    const at = pathArg(validatePath(p));
    return sh`if [ -d ${at} ]; then b=$(du -sb -- ${at} 2>/dev/null | cut -f1); c=0; [ -f ${at}/config.json ] && c=1; printf "P\\t%s\\t1\\t%s\\t%s\\n" ${i} "\${b:-0}" "$c"; else printf "P\\t%s\\t0\\t0\\t0\\n" ${i}; fi`;
  });
  return joinCommands(
    [
      sh`hub=${HUB}; f="$hub"; while [ ! -e "$f" ]; do f=$(dirname -- "$f"); done`,
      sh`echo @@df; df -B1 --output=size,avail,target / "$f" 2>&1 | tail -n +2`,
      sh`echo @@paths`,
      ...probes,
      sh`echo @@repos; if [ -d "$hub" ]; then ${REPOS}; fi; printf '@@end\\0'`,
    ],
    '\n',
  );
}

export interface ScannedRepo {
  repo: string;
  bytes: number;
  complete: boolean;
}

export interface ScannedPath {
  present: boolean;
  bytes: number;
  complete: boolean;
}

export interface ScanResult {
  root: FsSpace | null;
  hfCache: FsSpace | null;
  repos: ScannedRepo[];
  /** Per index of the `paths` given to scanCommand; null when its line is missing or garbled. */
  paths: (ScannedPath | null)[];
  skipped: number;
  /** Lines nobody expected; a scan without `@@end` was cut short and cannot be trusted. */
  problems: string[];
  ended: boolean;
}

const count = (s: string | undefined): number | null =>
  s !== undefined && /^\d{1,18}$/.test(s) ? Number(s) : null;

function parseDf(line: string): FsSpace | null {
  const m = /^\s*(\d+)\s+(\d+)\s+(\S.*)$/.exec(line);
  if (!m) return null;
  return { total_bytes: Number(m[1]), free_bytes: Number(m[2]), mount: m[3]!.trim() };
}

const REPOS_MARK = '\n@@repos\n';

export function parseScan(stdout: string, pathCount: number): ScanResult {
  const r: ScanResult = {
    root: null,
    hfCache: null,
    repos: [],
    paths: Array.from({ length: pathCount }, () => null),
    skipped: 0,
    problems: [],
    ended: false,
  };
  const cut = `\n${stdout}`.indexOf(REPOS_MARK);
  const head = cut < 0 ? stdout : `\n${stdout}`.slice(1, cut);
  const tail = cut < 0 ? '' : `\n${stdout}`.slice(cut + REPOS_MARK.length);
  parseHead(head, r);
  if (cut >= 0) parseRepos(tail, r);
  r.repos.sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0)); // the same in every locale
  return r;
}

function parseHead(text: string, r: ScanResult): void {
  let section = '';
  const df: FsSpace[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line === '@@df' || line === '@@paths') {
      section = line.slice(2);
      continue;
    }
    const f = line.split('\t');
    if (section === 'df') {
      const space = parseDf(line);
      if (space) df.push(space);
      else r.problems.push(`df: ${line.slice(0, 200)}`);
    } else if (section === 'paths' && f[0] === 'P' && f.length === 5) {
      const [i, present, bytes, config] = [count(f[1]), f[2], count(f[3]), f[4]];
      if (i === null || i >= r.paths.length || bytes === null || !/^[01]$/.test(present ?? '')) {
        r.problems.push(`path probe: ${line.slice(0, 200)}`);
        continue;
      }
      r.paths[i] = { present: present === '1', bytes, complete: present === '1' && config === '1' };
    } else {
      r.problems.push(`${section || 'before any section'}: ${line.slice(0, 200)}`);
    }
  }
  r.root = df[0] ?? null;
  r.hfCache = df[1] ?? df[0] ?? null;
}

/** NUL-terminated records: `X`, `D\t<dir>`, `B\t<bytes>\t<dir>/blobs/<name>`, `S\t<dir>/snapshots/…`, `@@end`. */
function parseRepos(text: string, r: ScanResult): void {
  const dirs: string[] = [];
  const sizes = new Map<string, number>();
  const incomplete = new Set<string>();
  const snapshots = new Set<string>();
  for (const rec of text.split('\0')) {
    if (rec === '' || rec === '\n') continue;
    if (rec === '@@end') r.ended = true;
    else if (rec === 'X') r.skipped++;
    else if (rec.startsWith('D\t') && !rec.slice(2).includes('/')) dirs.push(rec.slice(2));
    else if (!parseEntry(rec, sizes, incomplete, snapshots))
      r.problems.push(`repos: ${JSON.stringify(rec.slice(0, 200))}`);
  }
  for (const dir of dirs) {
    const repo = parseRepoDir(dir);
    if (!repo) {
      r.skipped++;
      continue;
    }
    r.repos.push({ repo, bytes: sizes.get(dir) ?? 0, complete: !incomplete.has(dir) && snapshots.has(dir) });
  }
}

function parseEntry(
  rec: string,
  sizes: Map<string, number>,
  incomplete: Set<string>,
  snapshots: Set<string>,
): boolean {
  const blob = /^B\t(\d{1,18})\t([^/]+)\/blobs\/(.+)$/s.exec(rec);
  if (blob) {
    const dir = blob[2]!;
    sizes.set(dir, (sizes.get(dir) ?? 0) + Number(blob[1]));
    if (blob[3]!.endsWith('.incomplete')) incomplete.add(dir);
    return true;
  }
  const snap = /^S\t([^/]+)\/snapshots\/[^/]+\//s.exec(rec);
  if (snap) snapshots.add(snap[1]!);
  return snap !== null;
}
