// Pure: what `sha256sum` printed inside the container, compared with the shipped files.
import type { PatchFileStatus, SpeechModelsResponse } from '../../../common/services-api.js';

export type FileRow = SpeechModelsResponse['files'][number];

/**
 * `sha256sum A B C` output → path → hash. A file sha256sum could not read is absent (it says so on
 * stderr and exits 1, which is normal here). Lines of binary mode (`*path`) and escaped names
 * (a leading `\`) are read as GNU coreutils writes them.
 */
export function parseSha256sum(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^\\?([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m?.[1] && m[2]) out.set(m[2], m[1]);
  }
  return out;
}

export function fileStatus(shipped: string, inContainer: string | null): PatchFileStatus {
  if (inContainer === null) return 'missing';
  return inContainer === shipped ? 'in_sync' : 'drift';
}

export function compareFiles(
  shipped: readonly { name: string; sha256: string }[],
  appDir: string,
  found: ReadonlyMap<string, string>,
): FileRow[] {
  return shipped.map((f) => {
    const path = containerPath(appDir, f.name);
    const container_sha256 = found.get(path) ?? null;
    return {
      path,
      shipped_sha256: f.sha256,
      container_sha256,
      status: fileStatus(f.sha256, container_sha256),
    };
  });
}

export const containerPath = (appDir: string, name: string): string =>
  `${appDir === '/' ? '' : appDir}/${name}`;

/** The loaded model ids from Parakeet's /health (`{"models": {"asr": "…", …}}`), in key order. */
export function modelsFromHealth(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const models = (body as { models?: unknown }).models;
  if (typeof models !== 'object' || models === null) return [];
  return Object.values(models).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** One line of status for logs and step details: "3 in sync, 1 drift, 1 missing". */
export function summarize(files: readonly FileRow[]): string {
  const count = (s: PatchFileStatus) => files.filter((f) => f.status === s).length;
  const parts = [`${count('in_sync')} in sync`];
  if (count('drift')) parts.push(`${count('drift')} drift`);
  if (count('missing')) parts.push(`${count('missing')} missing`);
  return parts.join(', ');
}
