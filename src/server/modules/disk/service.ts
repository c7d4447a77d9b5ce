// Guarded delete (SPEC §6): removes one repo's cache directory on the nodes that hold it, as a job
// holding `download:<node>` (no download starts mid-delete) and `node:<node>` (no swap starts
// mid-delete) for every node touched. The runner refuses with 409 naming the holder when a swap or
// a download holds either. The loaded model is refused; a local-path model is never deleted (its
// directory is the owner's). Every node's part is recorded in the connectivity log, and the
// snapshot is refreshed before the answer, so the next GET shows what is left.
import type { DiskDeleteNodeResult, DiskDeleteResponse } from '../../../common/disk-api.js';
import { AppError, isAppError } from '../../platform/http/errors.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { validateNodeName } from '../../platform/remote/validators.js';
import type { ReportInput } from '../connectivity/log.js';
import { deleteCommand, parseDelete } from './delete-command.js';
import { repoDir } from './names.js';
import type { DiskModel, DiskSnapshot } from './snapshot.js';

export const REPORT_SOURCE = 'disk-delete';

export interface DiskServiceOptions {
  nodes: string[];
  transport: NodeTransport;
  runner: JobRunnerApi;
  snapshot: DiskSnapshot;
  /** A catalog model by key (throws NOT_FOUND for an unknown key). */
  model: (key: string) => DiskModel & { served_model_name: string };
  /** The model vLLM serves now (null: none, or unknown). */
  loadedModel: () => string | null;
  /** vLLM's state: while it is `unknown` or `loading`, nobody can say the weights are not in use. */
  vllmState?: () => string;
  /** The vLLM nodes: a loaded repo is in use there. */
  vllmNodes: string[];
  nodeDown: (node: string) => string | null;
  report: (r: ReportInput) => void;
  deleteTimeoutMs?: number;
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

export class DiskService {
  constructor(private readonly o: DiskServiceOptions) {}

  async deleteModel(key: string): Promise<DiskDeleteResponse> {
    const m = this.o.model(key);
    if (!m.repo) {
      throw new AppError(
        'INVALID_INPUT',
        `${key} is a local-path model (${m.path ?? 'no path'}): Spark Control never deletes your own directories; remove it on the Spark yourself`,
      );
    }
    this.refuseIfHeld(m.nodes);
    this.refuseWhileUnsure();
    const loaded = this.o.loadedModel();
    if (loaded !== null && (loaded === m.served_model_name || loaded === m.repo)) {
      throw new AppError(
        'CONFLICT',
        `${key} is the loaded model; switch to another model before deleting its weights`,
      );
    }
    return this.run(m.repo, m.nodes);
  }

  async deleteRepo(node: unknown, org: unknown, name: unknown): Promise<DiskDeleteResponse> {
    const n = validateNodeName(node);
    const repo = `${String(org)}/${String(name)}`;
    repoDir(repo, 'repo');
    if (!this.o.nodes.includes(n)) throw new AppError('UNKNOWN_NODE', `No node named ${n} is configured`);
    this.refuseIfHeld([n]);
    if (this.o.vllmNodes.includes(n)) this.refuseWhileUnsure();
    if (this.o.loadedModel() === repo && this.o.vllmNodes.includes(n)) {
      throw new AppError(
        'CONFLICT',
        `${repo} is the loaded model; switch to another model before deleting its weights`,
      );
    }
    return this.run(repo, [n]);
  }

  /**
   * A swap or download on a node is the first thing to say (its vLLM state then reads `loading`).
   * runner.start() checks again atomically; this only puts the holder's name first.
   */
  private refuseIfHeld(nodes: string[]): void {
    for (const n of nodes) {
      for (const lock of [`node:${n}`, `download:${n}`]) {
        const job = this.o.runner.holder(lock);
        if (job) {
          throw new AppError(
            'CONFLICT',
            `A ${job.kind} (job ${job.id}) is running on ${n}; try again when it finishes`,
            {
              details: { job },
            },
          );
        }
      }
    }
  }

  private refuseWhileUnsure(): void {
    const state = this.o.vllmState?.() ?? 'idle';
    if (state === 'unknown' || state === 'loading') {
      throw new AppError(
        'CONFLICT',
        `vLLM is ${state === 'loading' ? 'loading a model' : 'in an unknown state'}, so its weights may be in use; try again once its state is known`,
      );
    }
  }

  private async run(repo: string, nodes: string[]): Promise<DiskDeleteResponse> {
    const dir = repoDir(repo);
    const results: DiskDeleteNodeResult[] = [];
    // Throws CONFLICT (409) naming the job holding a lock: a swap (node:) or a download (download:).
    const job = this.o.runner.start({
      kind: 'disk-delete',
      locks: nodes.flatMap((n) => [`download:${n}`, `node:${n}`]),
      title: `a disk delete of ${repo}`,
      meta: { repo, nodes },
      run: async (ctx) => {
        ctx.setPhase('Deleting');
        const parts = await Promise.all(nodes.map((n) => this.deleteOn(n, dir, ctx.signal)));
        results.push(...parts);
        for (const p of parts) {
          ctx.log(
            p.ok
              ? `${p.node}: ${p.existed ? `freed ${gb(p.freed_bytes)}` : 'nothing to delete'}`
              : `${p.node}: ${p.error}`,
          );
          if (p.existed || !p.ok) this.record(repo, p);
        }
        ctx.setMeta({ results: parts });
        ctx.setPhase('Refreshing the disk inventory');
        await this.o.snapshot.refresh(nodes);
        if (parts.every((p) => !p.ok))
          throw new AppError('NODE_UNREACHABLE', parts.map((p) => p.error).join('; '));
      },
    });
    const info = await job.done;
    if (results.length === 0) {
      throw new AppError('SERVICE_UNAVAILABLE', `The delete did not run: ${info.error ?? info.state}`);
    }
    if (results.every((r) => !r.ok)) {
      throw new AppError(
        'NODE_UNREACHABLE',
        `Nothing was deleted: ${results.map((r) => r.error).join('; ')}`,
      );
    }
    if (results.every((r) => r.ok && !r.existed)) {
      throw new AppError('NOT_FOUND', `${repo} is not on disk on ${nodes.join(', ')}`);
    }
    return {
      repo,
      job_id: job.id,
      nodes: results,
      freed_bytes: results.reduce((s, r) => s + r.freed_bytes, 0),
    };
  }

  private async deleteOn(node: string, dir: string, signal: AbortSignal): Promise<DiskDeleteNodeResult> {
    const failed = (error: string): DiskDeleteNodeResult => ({
      node,
      ok: false,
      existed: false,
      freed_bytes: 0,
      error,
    });
    const down = this.o.nodeDown(node);
    if (down) return failed(down);
    try {
      const r = await this.o.transport.exec(node, deleteCommand(dir), {
        timeoutMs: this.o.deleteTimeoutMs ?? 300_000,
        signal,
      });
      const out = parseDelete(r);
      if (out.kind === 'freed') return { node, ok: true, existed: true, freed_bytes: out.bytes, error: null };
      if (out.kind === 'absent') return { node, ok: true, existed: false, freed_bytes: 0, error: null };
      return failed(out.error);
    } catch (err) {
      return failed(isAppError(err) || err instanceof Error ? err.message : String(err));
    }
  }

  private record(repo: string, p: DiskDeleteNodeResult): void {
    try {
      this.o.report({
        subject: p.node,
        ok: p.ok,
        source: REPORT_SOURCE,
        // The log has one text field: for a delete it says what was removed and how much it freed.
        error: p.ok
          ? `deleted ${repo} from disk, freed ${gb(p.freed_bytes)}`
          : `delete of ${repo} failed: ${p.error ?? ''}`.slice(0, 500),
      });
    } catch {
      // A subject the log refuses must not undo a delete that happened.
    }
  }
}
