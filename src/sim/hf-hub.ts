// The simulated Hugging Face Hub the `hf` shim downloads from: for a repo id, the files of its
// main revision with sizes and sha256 names (deterministic, so two nodes and two runs agree), or
// null when the Hub has no such repo. Sizes come from the model facts (src/sim/vllm/model-facts.ts):
// the table's repos as listed, any other repo whose name carries a parameter count (`…-7B…`) at the
// size that count implies. A name without one is "not found" — the 404 a typo gets on the real Hub.
import { createHash } from 'node:crypto';
import { MODEL_FACTS, repoFacts } from './vllm/model-facts.js';

/** `download-fail`: the download dies midway (connection reset); `disk-full`: ENOSPC midway. */
export type HfFault = 'download-fail' | 'disk-full';

export interface HubFile {
  path: string;
  size: number;
  sha256: string;
}

export interface HubManifest {
  repo: string;
  commit: string;
  files: HubFile[];
}

const SHARD_BYTES = 5_000_000_000;
const REPO_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\/[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const PARAMS_RE = /(\d+(?:\.\d+)?)B\b/i;

const hex = (...parts: string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex');

/** Whether the simulated Hub has this repo (see the header). */
export function hubHas(repo: string): boolean {
  if (!REPO_RE.test(repo)) return false;
  return repo in MODEL_FACTS || PARAMS_RE.test(repo);
}

export function hubManifest(repo: string, revision = 'main'): HubManifest | null {
  if (!hubHas(repo)) return null;
  const commit = /^[0-9a-f]{40}$/.test(revision) ? revision : hex(repo, 'commit', revision).slice(0, 40);
  const weights = Math.max(1, Math.round(repoFacts(repo).sizeGb * 1e9));
  const shards = Math.max(1, Math.ceil(weights / SHARD_BYTES));
  const files: { path: string; size: number }[] = [
    { path: 'config.json', size: 1_100 + (parseInt(hex(repo).slice(0, 3), 16) % 900) },
    { path: 'generation_config.json', size: 239 },
    { path: 'tokenizer_config.json', size: 9_732 },
    { path: 'tokenizer.json', size: 11_422_654 },
  ];
  const pad = String(shards).padStart(5, '0');
  for (let i = 1; i <= shards; i++) {
    const size =
      i < shards ? Math.floor(weights / shards) : weights - Math.floor(weights / shards) * (shards - 1);
    const path =
      shards === 1 ? 'model.safetensors' : `model-${String(i).padStart(5, '0')}-of-${pad}.safetensors`;
    files.push({ path, size });
  }
  if (shards > 1) files.push({ path: 'model.safetensors.index.json', size: 63_210 + shards * 90 });
  return { repo, commit, files: files.map((f) => ({ ...f, sha256: hex(repo, commit, f.path) })) };
}

/**
 * The manifest as lines the shim reads with plain bash: `commit <sha>`, then `file <size> <sha256>
 * <path>` per file; an unknown repo is a 404 with the real CLI's message.
 */
export function hubManifestReply(repo: string, revision: string): { status: number; text: string } {
  const m = hubManifest(repo, revision || 'main');
  if (!m)
    return {
      status: 404,
      text: `Repository Not Found for url: https://huggingface.co/api/models/${repo}/revision/${revision || 'main'}.\n`,
    };
  return {
    status: 200,
    text:
      [`commit ${m.commit}`, ...m.files.map((f) => `file ${f.size} ${f.sha256} ${f.path}`)].join('\n') + '\n',
  };
}
