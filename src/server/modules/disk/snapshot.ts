// The disk snapshot (SPEC §6): a background poll scans every node with one SSH exec each; the
// routes answer from memory and never wait on SSH. A node that is down (or whose scan failed or was
// cut short) is `unknown` with the reason — never "missing": a missing model invites a download.
// A node still busy with its last scan is skipped; a forced refresh (after a delete) always runs,
// and a scan that started earlier can never overwrite what a later one saw.
import type {
  CachedRepo,
  DiskResponse,
  DiskStatusResponse,
  ModelDiskNode,
  NodeDisk,
} from '../../../common/disk-api.js';
import { Poll } from '../../platform/poll.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { parseScan, scanCommand, type ScanResult } from './scan.js';

/** The part of a catalog model the inventory needs. */
export interface DiskModel {
  key: string;
  repo: string | null;
  path: string | null;
  /** Nodes the model runs on. */
  nodes: string[];
}

export interface DiskSnapshotOptions {
  nodes: string[];
  transport: NodeTransport;
  models: () => DiskModel[];
  /** Why a node must not be asked now (null: ask it). */
  nodeDown: (node: string) => string | null;
  intervalMs: number;
  sshTimeoutMs?: number;
  now?: () => number;
}

interface Seen {
  seq: number;
  at: string;
  error: string | null;
  scan: ScanResult | null;
  /** Probe result per local path. */
  paths: Map<string, { present: boolean; bytes: number; complete: boolean }>;
}

/** A node whose copy of a model cannot be told (node down, scan failed, path not probed yet). */
const UNKNOWN = { state: 'unknown', present: null, bytes: null, complete: null } as const;

export class DiskSnapshot {
  private readonly seen = new Map<string, Seen>();
  private readonly busy = new Set<string>();
  private readonly seq = new Map<string, number>();
  private readonly poll: Poll;
  private checkedAt: string | null = null;
  /** Bumped whenever a scan is stored: with the nodes' down reasons and the models, keys the memo. */
  private version = 0;
  private memo: {
    key: string;
    models: DiskModel[];
    value: DiskStatusResponse;
    json: string | null;
  } | null = null;

  constructor(private readonly o: DiskSnapshotOptions) {
    // refresh() never rejects: every failure becomes an `unknown` with its reason.
    this.poll = new Poll(() => this.refresh(), o.intervalMs);
  }

  nodeNames(): string[] {
    return [...this.o.nodes];
  }

  start(): void {
    this.poll.start();
  }

  stop(): void {
    this.poll.stop();
  }

  /** Scans every node (or only `only`, always, even when a scan is in flight). Never rejects. */
  async refresh(only?: readonly string[]): Promise<void> {
    const targets = only ?? this.o.nodes;
    const paths = [...new Set(this.o.models().flatMap((m) => (m.path ? [m.path] : [])))];
    await Promise.all(targets.map((n) => this.scanNode(n, paths, only !== undefined)));
    this.checkedAt = new Date(this.now()).toISOString();
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  private async scanNode(node: string, paths: string[], force: boolean): Promise<void> {
    if (this.busy.has(node) && !force) return;
    this.busy.add(node);
    const seq = (this.seq.get(node) ?? 0) + 1;
    this.seq.set(node, seq);
    try {
      const seen = await this.scanOnce(node, paths, seq);
      const prev = this.seen.get(node);
      if (!prev || prev.seq < seq) {
        this.seen.set(node, seen);
        this.version++;
      }
    } finally {
      this.busy.delete(node);
    }
  }

  private async scanOnce(node: string, paths: string[], seq: number): Promise<Seen> {
    const at = new Date(this.now()).toISOString();
    const fail = (error: string): Seen => ({ seq, at, error, scan: null, paths: new Map() });
    const down = this.o.nodeDown(node);
    if (down) return fail(down);
    try {
      const r = await this.o.transport.exec(node, scanCommand(paths), {
        timeoutMs: this.o.sshTimeoutMs ?? 20_000,
      });
      const scan = parseScan(r.stdout, paths.length);
      if (!scan.ended) {
        const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-2).join(' ').slice(0, 200);
        return fail(
          `${node}: the disk scan did not finish (exit ${r.code ?? 'signal'})${said ? `: ${said}` : ''}`,
        );
      }
      const byPath = new Map<string, { present: boolean; bytes: number; complete: boolean }>();
      paths.forEach((p, i) => {
        const probe = scan.paths[i];
        if (probe) byPath.set(p, probe);
      });
      return { seq, at, error: null, scan, paths: byPath };
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
  }

  /** The node's last scan, or why it is unknown now (what the pool knows now wins over the last scan). */
  private look(
    node: string,
    downOf: (n: string) => string | null,
  ): Seen | { error: string; at: string | null } {
    const down = downOf(node);
    const seen = this.seen.get(node);
    if (down) return { error: down, at: seen?.at ?? null };
    if (!seen) return { error: 'Not checked yet', at: null };
    if (!seen.scan) return { error: seen.error ?? `${node} did not answer`, at: seen.at };
    return seen;
  }

  private cachedDownOf(): (n: string) => string | null {
    const memo = new Map<string, string | null>();
    return (n) => {
      if (!memo.has(n)) memo.set(n, this.o.nodeDown(n));
      return memo.get(n) ?? null;
    };
  }

  /** Answers every dashboard poll (p99 target 5 ms): rebuilt only when a scan, a node or the catalog changed. */
  modelStatus(): DiskStatusResponse {
    return this.memoized().value;
  }

  /**
   * The same answer as JSON text, serialized once per memo: the route sends it as it is, so a
   * poll costs the memo key, not a 50 KB JSON.stringify (20 models × 16 nodes).
   */
  modelStatusJson(): string {
    const memo = this.memoized();
    memo.json ??= JSON.stringify(memo.value);
    return memo.json;
  }

  private memoized(): NonNullable<DiskSnapshot['memo']> {
    // The models by identity (the disk module keeps one list until the catalog changes; a new
    // list only costs a rebuild), the rest as a short string: cheap enough for every poll.
    const models = this.o.models();
    const downs = this.o.nodes.map((n) => this.o.nodeDown(n));
    const key = `${this.version}\n${this.checkedAt}\n${JSON.stringify(downs)}`;
    if (this.memo?.key === key && this.memo.models === models) return this.memo;
    const value = this.buildModelStatus(models, (n) => downs[this.o.nodes.indexOf(n)] ?? null);
    this.memo = { key, models, value, json: null };
    return this.memo;
  }

  private buildModelStatus(list: DiskModel[], downOf: (n: string) => string | null): DiskStatusResponse {
    const looks = new Map(this.o.nodes.map((n) => [n, this.look(n, downOf)]));
    const repoIndex = new Map<string, Map<string, { bytes: number; complete: boolean }>>();
    for (const [n, l] of looks) {
      if ('scan' in l && l.scan) repoIndex.set(n, new Map(l.scan.repos.map((r) => [r.repo, r])));
    }
    const models = list.map((m) => ({
      key: m.key,
      repo: m.repo,
      path: m.path,
      nodes: this.o.nodes.map((node): ModelDiskNode => {
        const l = looks.get(node)!;
        const needed = m.nodes.includes(node);
        if (!('scan' in l) || !l.scan) return { node, ...UNKNOWN, needed, error: l.error, checked_at: l.at };
        const probed = m.repo !== null || (m.path !== null && l.paths.has(m.path));
        if (!probed) return { node, ...UNKNOWN, needed, error: 'Not checked yet', checked_at: l.at };
        const found = m.repo ? repoIndex.get(node)?.get(m.repo) : m.path ? l.paths.get(m.path) : undefined;
        const hit = found && (!('present' in found) || found.present) ? found : null;
        return {
          node,
          state: !hit ? 'missing' : hit.complete ? 'present' : 'incomplete',
          present: hit !== null,
          bytes: hit ? hit.bytes : 0,
          complete: hit ? hit.complete : false,
          needed,
          error: null,
          checked_at: l.at,
        };
      }),
    }));
    return { models, checked_at: this.checkedAt };
  }

  disk(): DiskResponse {
    const downOf = this.cachedDownOf();
    const keysByRepo = new Map<string, string[]>();
    for (const m of this.o.models())
      if (m.repo) keysByRepo.set(m.repo, [...(keysByRepo.get(m.repo) ?? []), m.key]);
    const nodes = this.o.nodes.map((node): NodeDisk => {
      const l = this.look(node, downOf);
      if (!('scan' in l) || !l.scan) {
        return {
          node,
          ok: false,
          error: l.error,
          checked_at: l.at,
          root: null,
          hf_cache: null,
          repos: [],
          skipped: 0,
        };
      }
      const repos: CachedRepo[] = l.scan.repos.map((r) => ({
        ...r,
        catalog_keys: keysByRepo.get(r.repo) ?? [],
      }));
      return {
        node,
        ok: true,
        error: null,
        checked_at: l.at,
        root: l.scan.root,
        hf_cache: l.scan.hfCache,
        repos,
        skipped: l.scan.skipped,
      };
    });
    return { nodes, checked_at: this.checkedAt };
  }

  /** What the last scan saw of one repo on one node: bytes, or null when unknown / absent. */
  repoOn(node: string, repo: string): { bytes: number; complete: boolean } | 'absent' | 'unknown' {
    const l = this.look(node, this.cachedDownOf());
    if (!('scan' in l) || !l.scan) return 'unknown';
    return l.scan.repos.find((r) => r.repo === repo) ?? 'absent';
  }
}
