// The speech-model overlay Spark Control ships (overlays/parakeet/*.py): read once at start, with
// each file's sha256, so GET /api/speech-models compares against what this build carries.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OverlayFile {
  /** A plain file name (`diarizer.py`); the container path is `<app_dir>/<name>`. */
  name: string;
  sha256: string;
  content: Buffer;
}

/** Only plain Python module names travel to the container (they end up in shell words and paths). */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.py$/;

/** overlays/parakeet beside the source tree (src/… and dist/… both find it). */
export function defaultOverlayDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../../../..', '../../../../..']) {
    const dir = join(here, up, 'overlays', 'parakeet');
    if (existsSync(join(dir, 'main.py'))) return dir;
  }
  throw new Error(`overlays/parakeet not found above ${here}`);
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** The shipped files: every top-level `*.py` (tests stay home), sorted by name. */
export function loadOverlay(dir: string): OverlayFile[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.py'))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) throw new Error(`no overlay files (*.py) in ${dir}`);
  return names.map((name) => {
    if (!FILE_NAME.test(name)) throw new Error(`overlay file name not allowed: ${JSON.stringify(name)}`);
    const content = readFileSync(join(dir, name));
    return { name, sha256: sha256(content), content };
  });
}
