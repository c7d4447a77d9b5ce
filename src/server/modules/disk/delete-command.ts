// The delete on one node: measure the repo's directory, remove exactly it, say how much was freed.
// The directory name was validated (names.ts) and is quoted by `sh`; `rm -rf` never sees anything
// but `"$HOME"/.cache/huggingface/hub/models--ORG--NAME`, and a symlink there is refused rather than
// followed.
import { sh, type ShellCommand } from '../../platform/remote/sh.js';
import { parseRepoDir } from './names.js';
import { HUB } from './scan.js';

export function deleteCommand(dir: string): ShellCommand {
  if (parseRepoDir(dir) === null) throw new Error(`refusing to build a delete for ${JSON.stringify(dir)}`);
  return sh`d=${HUB}/${dir}
if [ -L "$d" ]; then echo "NOTDIR"; exit 3; fi
if [ ! -e "$d" ]; then echo "ABSENT"; exit 0; fi
b=$(du -sb -- "$d" 2>/dev/null | cut -f1)
rm -rf -- "$d" || { echo "RMFAILED"; exit 4; }
if [ -e "$d" ]; then echo "RMFAILED"; exit 4; fi
echo "FREED \${b:-0}"`;
}

export type DeleteOutcome =
  { kind: 'freed'; bytes: number } | { kind: 'absent' } | { kind: 'failed'; error: string };

/** Reads the delete's answer; anything unexpected is a failure carrying what the node said. */
export function parseDelete(r: { code: number | null; stdout: string; stderr: string }): DeleteOutcome {
  const out = r.stdout.trim();
  const freed = /^FREED (\d{1,18})$/m.exec(out);
  if (r.code === 0 && freed) return { kind: 'freed', bytes: Number(freed[1]) };
  if (r.code === 0 && /^ABSENT$/m.test(out)) return { kind: 'absent' };
  if (/^NOTDIR$/m.test(out))
    return { kind: 'failed', error: 'the cache entry is a symlink, not a directory; left alone' };
  const said = (r.stderr.trim() || out).split('\n').slice(-3).join(' ').slice(0, 300);
  return { kind: 'failed', error: `rm failed (exit ${r.code ?? 'signal'})${said ? `: ${said}` : ''}` };
}
