// A download request checked before any SSH: the repo id by the Hub's own naming rules (the shared
// validator), the target nodes by name or by the original's `mode`. Every failure is a 400 naming
// the field.
import type { DownloadRequest } from '../../../common/downloads-api.js';
import { AppError } from '../../platform/http/errors.js';
import { validateRepo } from '../../platform/remote/validators.js';

export interface ValidDownload {
  repo: string;
  nodes: string[];
}

const bad = (field: string, message: string): never => {
  throw new AppError('INVALID_INPUT', message, { details: { field } });
};

/** `configured`: the config's node names in order (the first is spark1, the second spark2). */
export function validateDownload(req: DownloadRequest, configured: readonly string[]): ValidDownload {
  const repo = validateRepo(req.repo, 'repo');
  if (req.nodes !== undefined && req.mode !== undefined)
    bad('nodes', 'give either "nodes" or "mode", not both');
  let nodes: string[];
  if (req.nodes !== undefined) {
    if (!Array.isArray(req.nodes) || req.nodes.length === 0)
      bad('nodes', 'nodes must list at least one node');
    nodes = [];
    for (const n of req.nodes) {
      if (typeof n !== 'string' || !configured.includes(n))
        bad(
          'nodes',
          `unknown node ${JSON.stringify(n).slice(0, 80)}; configured nodes: ${configured.join(', ')}`,
        );
      if (!nodes.includes(n)) nodes.push(n);
    }
  } else {
    const mode = req.mode ?? 'both';
    const picks = mode === 'spark1' ? [0] : mode === 'spark2' ? [1] : mode === 'both' ? [0, 1] : null;
    if (!picks) return bad('mode', 'mode must be "spark1", "spark2" or "both"');
    nodes = picks.map((i) => configured[i]).filter((n): n is string => n !== undefined);
    if (nodes.length < picks.length)
      bad(
        'mode',
        `mode ${mode} needs ${picks.length + (mode === 'spark2' ? 1 : 0)} configured nodes; name them in "nodes" instead`,
      );
  }
  return { repo, nodes };
}
