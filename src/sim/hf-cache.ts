// Writes the real Hugging Face hub cache layout into a simulated Spark's home, for seeding the demo
// and for tests (the `hf` shim writes the same layout while it downloads):
//   ~/.cache/huggingface/hub/models--ORG--NAME/
//     blobs/<sha256>              file contents (weights are sparse: a 16 GB blob costs nothing)
//     blobs/<sha256>.incomplete   a file still downloading
//     refs/main                   the commit hash the snapshot is named after
//     snapshots/<commit>/<file>   symlink → ../../blobs/<sha256>
// Apparent sizes (`du -sb`, `stat -c %s`) are what the control plane reports, so sparse blobs show
// their full size.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, symlinkSync, ftruncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hubManifest } from './hf-hub.js';

export interface HfCacheFile {
  /** Path inside the snapshot, e.g. `model-00001-of-00002.safetensors` or `sub/x.json`. */
  name: string;
  /** Apparent size in bytes (a sparse file); ignored when `text` is given. */
  bytes?: number;
  /** Real contents (config.json and the like). */
  text?: string;
  /** Still downloading: the blob is `<sha>.incomplete` and the snapshot has no link to it yet. */
  incomplete?: boolean;
  /** The blob's name (the Hub's sha256 of the file); derived from repo, name and size when absent. */
  sha256?: string;
}

export interface HfCacheRepo {
  /** `org/name`; written as `models--org--name`. */
  repo: string;
  files: HfCacheFile[];
  /** The commit hash of refs/main (a fixed one by default, so seeding twice is idempotent). */
  commit?: string;
}

/** `~/.cache/huggingface/hub` under a simulated node's home. */
export const hubDir = (home: string): string => join(home, '.cache', 'huggingface', 'hub');

/** `models--org--name`, as huggingface_hub names the directory. */
export const repoDirName = (repo: string): string => `models--${repo.split('/').join('--')}`;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function writeSparse(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes (or rewrites) one repo in the cache and returns its directory. The blob names are the
 * sha256 of the repo, file name and size, so different files never share a blob.
 */
export function writeHfRepo(home: string, r: HfCacheRepo): string {
  const root = join(hubDir(home), repoDirName(r.repo));
  const commit = r.commit ?? sha256(`commit:${r.repo}`).slice(0, 40);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'blobs'), { recursive: true });
  mkdirSync(join(root, 'refs'), { recursive: true });
  writeFileSync(join(root, 'refs', 'main'), commit);
  const snapshot = join(root, 'snapshots', commit);
  mkdirSync(snapshot, { recursive: true });
  for (const f of r.files) {
    const blob = f.sha256 ?? sha256(`${r.repo}:${f.name}:${f.text ?? f.bytes ?? 0}`);
    const blobPath = join(root, 'blobs', f.incomplete ? `${blob}.incomplete` : blob);
    if (f.text !== undefined) writeFileSync(blobPath, f.text);
    else writeSparse(blobPath, f.bytes ?? 0);
    if (f.incomplete) continue;
    const link = join(snapshot, f.name);
    mkdirSync(dirname(link), { recursive: true });
    const depth = f.name.split('/').length - 1;
    symlinkSync(`${'../'.repeat(depth)}../../blobs/${blob}`, link);
  }
  return root;
}

/** A plausible model: config.json plus `shards` sparse safetensors adding up to `bytes`. */
export function modelRepo(
  repo: string,
  bytes: number,
  o: { shards?: number; incomplete?: boolean } = {},
): HfCacheRepo {
  const shards = Math.max(1, o.shards ?? 2);
  const per = Math.floor(bytes / shards);
  const files: HfCacheFile[] = [{ name: 'config.json', text: '{"architectures":["LlamaForCausalLM"]}\n' }];
  for (let i = 1; i <= shards; i++) {
    files.push({
      name: `model-${String(i).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`,
      bytes: i === shards ? bytes - per * (shards - 1) : per,
      // An interrupted download: the last shard is still arriving.
      incomplete: o.incomplete === true && i === shards,
    });
  }
  return { repo, files };
}

/** Removes a repo from the cache (as `rm -rf` of its directory would). */
export function removeHfRepo(home: string, repo: string): void {
  rmSync(join(hubDir(home), repoDirName(repo)), { recursive: true, force: true });
}

/**
 * A repo exactly as the `hf` shim leaves it after a complete download from the simulated Hub (same
 * commit, blob names, file list and sizes; src/sim/hf-hub.ts), so a later `hf download` finds every
 * file done and the fake vLLM reads the same facts. Null when the simulated Hub has no such repo.
 */
export function hubRepo(repo: string): HfCacheRepo | null {
  const m = hubManifest(repo);
  if (!m) return null;
  return {
    repo,
    commit: m.commit,
    files: m.files.map((f) => ({ name: f.path, bytes: f.size, sha256: f.sha256 })),
  };
}

/** Writes `repo` into a node's cache as a finished `hf download` leaves it (tests, the demo). */
export function writeHubRepo(home: string, repo: string): string {
  const r = hubRepo(repo);
  if (!r) throw new Error(`the simulated Hub has no ${repo}`);
  return writeHfRepo(home, r);
}
