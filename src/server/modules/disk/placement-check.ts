// The weights check every swap and pre-flight runs (issue 12 item 4): a model may start only when
// every node it runs on (cluster models: every vLLM node; solo: the head) holds its complete
// weights. The disk snapshot answers when it saw them complete recently; anything else — unknown,
// stale, missing or incomplete there — gets ONE fresh probe of just that model on that node before
// deciding, so a refusal never rests on a guess or an old scan (a download that just finished, a
// copy made by hand). Still unknown → `weights_unknown` (the node could not be asked); missing or
// incomplete → `weights_missing` with `{repo, path, nodes}` so the dashboard offers the download.
import type { ModelDiskNode, ModelDiskStatus } from '../../../common/disk-api.js';
import type { PreSwapCheck, PreSwapRefusal } from '../swap/pre-swap-checks.js';
import type { WeightsOnNode } from './weights-probe.js';

export interface PlacementCheckDeps {
  /** The snapshot's view of one catalog model (DiskSnapshot.modelStatus()), if it lists it. */
  status: (key: string) => ModelDiskStatus | undefined;
  /** One fresh look at one model on one node; never rejects (a failure is `unknown`). */
  probe: (node: string, m: { repo: string | null; path: string | null }) => Promise<WeightsOnNode>;
  /** Told which nodes' snapshot disagreed with a fresh probe (refresh them in the background). */
  disagreed?: (nodes: string[]) => void;
  /** A snapshot older than this is not trusted even when it says "present" (default 2 min). */
  staleAfterMs?: number;
  now?: () => number;
}

/** Whether the snapshot's answer for a node is good enough to let a swap go without asking again. */
function trusted(n: ModelDiskNode | undefined, now: number, staleAfterMs: number): boolean {
  if (!n || n.state !== 'present' || n.checked_at === null) return false;
  return now - Date.parse(n.checked_at) <= staleAfterMs;
}

const list = (nodes: string[]) =>
  nodes.length <= 1 ? (nodes[0] ?? '') : `${nodes.slice(0, -1).join(', ')} and ${nodes.at(-1)}`;

export function placementCheck(d: PlacementCheckDeps): PreSwapCheck {
  const staleAfterMs = d.staleAfterMs ?? 120_000;
  return async (model, nodes) => {
    const seen = d.status(model.key);
    // The catalog entry may have changed since the last scan: its answer is about another model then.
    const same = seen && seen.repo === model.repo && seen.path === model.path;
    const now = d.now?.() ?? Date.now();
    const looks = await Promise.all(
      nodes.map(async (node) => {
        const snap = same ? seen.nodes.find((n) => n.node === node) : undefined;
        if (trusted(snap, now, staleAfterMs)) return { node, look: { state: 'present' } as WeightsOnNode };
        const look = await d.probe(node, { repo: model.repo, path: model.path });
        return { node, look, changed: !snap || snap.state !== look.state };
      }),
    );
    const changed = looks.filter((l) => 'changed' in l && l.changed).map((l) => l.node);
    if (changed.length > 0) d.disagreed?.(changed);
    return refusalFor(model, looks);
  };
}

function refusalFor(
  model: { display_name: string; repo: string | null; path: string | null; mode: string },
  looks: { node: string; look: WeightsOnNode }[],
): PreSwapRefusal | null {
  const missing = looks.filter((l) => l.look.state === 'missing').map((l) => l.node);
  const incomplete = looks.filter((l) => l.look.state === 'incomplete').map((l) => l.node);
  const unknown = looks.flatMap((l) =>
    l.look.state === 'unknown' ? [{ node: l.node, error: l.look.error }] : [],
  );
  const what = model.repo ?? model.path ?? model.display_name;
  const where = model.mode === 'cluster' ? ' (a cluster model needs them on every Spark it runs on)' : '';
  const lacking = [...missing, ...incomplete];
  if (lacking.length > 0) {
    const parts = [
      missing.length ? `not on ${list(missing)}` : '',
      incomplete.length
        ? `incomplete on ${list(incomplete)} (a download is still running or was interrupted)`
        : '',
    ].filter(Boolean);
    const todo = model.repo
      ? `download them to ${list(lacking)} first (Download on the model card)`
      : `copy the directory to ${list(lacking)} first`;
    return {
      code: 'weights_missing',
      message: `Not switching to ${model.display_name}: its weights (${what}) are ${parts.join(' and ')}${where}; ${todo}. Nothing was stopped.`,
      details: {
        repo: model.repo,
        path: model.path,
        nodes: lacking,
        missing,
        incomplete,
        ...(unknown.length ? { unknown: unknown.map((u) => u.node) } : {}),
      },
    };
  }
  if (unknown.length > 0) {
    return {
      code: 'weights_unknown',
      message: `Not switching to ${model.display_name}: ${list(unknown.map((u) => u.node))} could not be asked whether its weights (${what}) are there (${unknown.map((u) => u.error).join('; ')}). Nothing was stopped; try again when the node answers.`,
      details: { repo: model.repo, path: model.path, nodes: unknown.map((u) => u.node), errors: unknown },
    };
  }
  return null;
}
