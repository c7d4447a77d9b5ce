// Pure helpers for the on-disk pills and the delete confirmation (no React; tested beside).
import type { DiskPresence, ModelDiskNode, ModelDiskStatus } from '../../../common/disk-api.js';
import { formatBytes } from '../../lib/format.js';

export interface DiskPill {
  node: string;
  label: string;
  className: string;
  title: string;
}

const CLASS: Record<DiskPresence, string> = {
  present: 'pill pill-ok',
  incomplete: 'pill pill-warn',
  missing: 'pill pill-danger',
  unknown: 'pill pill-muted',
};

export function diskPill(n: ModelDiskNode): DiskPill {
  const needed = n.needed ? '' : ' (the model does not run on this node)';
  switch (n.state) {
    case 'present':
      return {
        node: n.node,
        label: `${n.node}: ${formatBytes(n.bytes)}`,
        className: CLASS.present,
        title: `Weights complete on ${n.node}${needed}`,
      };
    case 'incomplete':
      return {
        node: n.node,
        label: `${n.node}: incomplete`,
        className: CLASS.incomplete,
        title: `${formatBytes(n.bytes)} on ${n.node}, but a file is still downloading or was interrupted${needed}`,
      };
    case 'missing':
      return {
        node: n.node,
        label: `${n.node}: missing`,
        className: CLASS.missing,
        title: `Not on ${n.node}${needed}`,
      };
    default:
      return {
        node: n.node,
        label: `${n.node}: unknown`,
        className: CLASS.unknown,
        title: n.error ?? `${n.node} could not be checked`,
      };
  }
}

/** Pills worth showing: every node the model runs on, plus others that hold (part of) it. */
export function diskPills(m: ModelDiskStatus): DiskPill[] {
  return m.nodes.filter((n) => n.needed || n.state === 'present' || n.state === 'incomplete').map(diskPill);
}

export interface DeletePlan {
  /** Nodes the delete will touch that hold something, with what each frees (per the last scan). */
  nodes: { node: string; bytes: number }[];
  total: number;
  /** Nodes the delete touches whose state is unknown (they are tried too). */
  unknown: string[];
}

/** What a model delete will do, from the inventory (the server deletes on the nodes it runs on). */
export function deletePlan(m: ModelDiskStatus): DeletePlan {
  const touched = m.nodes.filter((n) => n.needed);
  const nodes = touched
    .filter((n) => n.state === 'present' || n.state === 'incomplete')
    .map((n) => ({ node: n.node, bytes: n.bytes ?? 0 }));
  return {
    nodes,
    total: nodes.reduce((s, n) => s + n.bytes, 0),
    unknown: touched.filter((n) => n.state === 'unknown').map((n) => n.node),
  };
}

/**
 * The nodes a model runs on that lack its complete weights (missing or incomplete), for "Download"
 * in place of "Switch". A node whose state is unknown is not counted: it could not be asked, and a
 * download there would be a guess (the server refuses that switch with its own reason).
 */
export function lackingNodes(m: ModelDiskStatus | undefined): string[] {
  if (!m) return [];
  return m.nodes
    .filter((n) => n.needed && (n.state === 'missing' || n.state === 'incomplete'))
    .map((n) => n.node);
}

/** A swap or pre-flight refusal that a download cures: its repo and the nodes to download to. */
export function downloadOffer(details: unknown): { repo: string; nodes: string[] } | null {
  if (typeof details !== 'object' || details === null) return null;
  const d = details as { code?: unknown; repo?: unknown; nodes?: unknown };
  if (d.code !== 'weights_missing' || typeof d.repo !== 'string' || !Array.isArray(d.nodes)) return null;
  const nodes = d.nodes.filter((n): n is string => typeof n === 'string');
  return nodes.length > 0 ? { repo: d.repo, nodes } : null;
}
