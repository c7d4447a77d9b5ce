// One fresh look at one model's weights on one node, for the placement check (placement-check.ts)
// when the snapshot cannot be trusted for it (unknown, stale, or saying it is not there). The same
// rules as the scan (scan.ts): apparent blob sizes, complete = no `*.incomplete` blob and at least
// one snapshot entry; a local path is complete with a config.json. Names are validated and quoted.
import { pathArg, sh, type ShellCommand } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { validatePath } from '../../platform/remote/validators.js';
import { repoDir } from './names.js';
import { HUB } from './scan.js';

export type WeightsOnNode =
  | { state: 'present' | 'incomplete'; bytes: number }
  | { state: 'missing'; bytes: 0 }
  | { state: 'unknown'; error: string };

export function weightsProbeCommand(m: { repo: string | null; path: string | null }): ShellCommand {
  if (m.repo) {
    return sh`d=${HUB}/${repoDir(m.repo)}
if [ -d "$d" ] && [ ! -L "$d" ]; then
  b=$(find "$d/blobs" -type f -printf '%s\\n' 2>/dev/null | { s=0; while read -r n; do s=$((s + n)); done; echo "$s"; })
  i=$(find "$d/blobs" -name '*.incomplete' 2>/dev/null | head -n 1)
  n=$(find "$d/snapshots" -mindepth 2 -maxdepth 2 2>/dev/null | head -n 1)
  c=0; [ -z "$i" ] && [ -n "$n" ] && c=1
  printf 'W\\t1\\t%s\\t%s\\n' "$b" "$c"
else printf 'W\\t0\\t0\\t0\\n'; fi
echo @@end`;
  }
  if (m.path) {
    const at = pathArg(validatePath(m.path));
    return sh`if [ -d ${at} ]; then b=$(du -sb -- ${at} 2>/dev/null | cut -f1); c=0; [ -f ${at}/config.json ] && c=1; printf 'W\\t1\\t%s\\t%s\\n' "\${b:-0}" "$c"; else printf 'W\\t0\\t0\\t0\\n'; fi
echo @@end`;
  }
  throw new Error('a model has a repo or a path');
}

/** Reads the probe's answer; anything but one well-formed line and the end marker is `unknown`. */
export function parseWeightsProbe(
  node: string,
  r: { code: number | null; stdout: string; stderr: string },
): WeightsOnNode {
  const m = /^W\t([01])\t(\d{1,18})\t([01])\n@@end$/m.exec(r.stdout);
  if (!m) {
    const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-2).join(' ').slice(0, 200);
    return {
      state: 'unknown',
      error: `${node}: the weights check did not finish (exit ${r.code ?? 'signal'})${said ? `: ${said}` : ''}`,
    };
  }
  if (m[1] === '0') return { state: 'missing', bytes: 0 };
  return { state: m[3] === '1' ? 'present' : 'incomplete', bytes: Number(m[2]) };
}

export async function probeWeights(
  transport: NodeTransport,
  node: string,
  m: { repo: string | null; path: string | null },
  timeoutMs: number,
): Promise<WeightsOnNode> {
  try {
    return parseWeightsProbe(node, await transport.exec(node, weightsProbeCommand(m), { timeoutMs }));
  } catch (err) {
    return { state: 'unknown', error: err instanceof Error ? err.message : String(err) };
  }
}
