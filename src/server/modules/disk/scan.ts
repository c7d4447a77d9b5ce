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

// The shell filter is a first line of defence (a name with a newline or tab would break the line
// format); parseRepoDir checks every name again.
const REPOS = raw(
  [
    'for d in "$hub"/* "$hub"/.[!.]*; do',
    '  [ -e "$d" ] || [ -L "$d" ] || continue; n=${d##*/}',
    '  case "$n" in models--*) ;; *) continue ;; esac',
    '  case "$n" in *[!A-Za-z0-9._-]*) echo "X"; continue ;; esac',
    '  if [ -L "$d" ] || [ ! -d "$d" ]; then echo "X"; continue; fi',
    '  b=$(du -sb -- "$d" 2>/dev/null | cut -f1)',
    '  i=$(find "$d/blobs" -maxdepth 1 -name "*.incomplete" 2>/dev/null | wc -l)',
    '  s=$(find "$d/snapshots" -mindepth 2 2>/dev/null | head -n 1 | wc -l)',
    '  printf "R\\t%s\\t%s\\t%s\\t%s\\n" "$n" "${b:-0}" "$i" "$s"',
    'done',
  ].join('\n'),
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
      sh`echo @@repos; if [ -d "$hub" ]; then ${REPOS}; fi`,
      sh`echo @@paths`,
      ...probes,
      sh`echo @@end`,
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
  let section = '';
  const df: FsSpace[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    if (/^@@(df|repos|paths|end)$/.test(line)) {
      section = line.slice(2);
      if (section === 'end') r.ended = true;
      continue;
    }
    const f = line.split('\t');
    if (section === 'df') {
      const space = parseDf(line);
      if (space) df.push(space);
      else r.problems.push(`df: ${line.slice(0, 200)}`);
    } else if (section === 'repos' && f[0] === 'X' && f.length === 1) {
      r.skipped++;
    } else if (section === 'repos' && f[0] === 'R' && f.length === 5) {
      const repo = parseRepoDir(f[1]!);
      const [bytes, incomplete, snaps] = [count(f[2]), count(f[3]), count(f[4])];
      if (!repo || bytes === null || incomplete === null || snaps === null) {
        r.skipped++;
        continue;
      }
      r.repos.push({ repo, bytes, complete: incomplete === 0 && snaps > 0 });
    } else if (section === 'paths' && f[0] === 'P' && f.length === 5) {
      const [i, present, bytes, config] = [count(f[1]), f[2], count(f[3]), f[4]];
      if (i === null || i >= pathCount || bytes === null || !/^[01]$/.test(present ?? '')) {
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
  // Code-point order: the same on every machine, whatever its locale.
  r.repos.sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
  return r;
}
