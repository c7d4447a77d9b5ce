// The work of an update job (issue 12 items 5–6) and of a rollback job. Each remote step gets the
// job's signal, so a cancel kills the remote process (the transport sends SIGKILL) in any phase;
// the smoke test's swap stops its own launch on cancel, like any swap.
import { AppError } from '../../platform/http/errors.js';
import type { JobContext } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { NodeConfig } from '../../config/types.js';
import {
  buildCommand,
  copyHost,
  parseTagOutput,
  pullCommand,
  resetCommand,
  restoreImageCommand,
  ROLLBACK_IMAGE,
  tagRollbackCommand,
} from './git-commands.js';
import { buildFailure, phaseOfBuildLine } from './phases.js';
import type { RecordWriter } from './record.js';

/** What the update needs of the swap module (swap/service.ts). */
export interface SmokeSwaps {
  runWithin(key: string, ctx: JobContext, origin?: string): { id: string; done: Promise<void> };
  closeOrphan(id: string, reason: string): void;
}

export interface UpdateJobDeps {
  transport: NodeTransport;
  launcherDir: string;
  /** The head first, then every node a vLLM model runs on (where the image must be). */
  nodes: NodeConfig[];
  swaps: SmokeSwaps | null;
  /** Catalog key of the model vLLM serves now (null: none, or not in the catalog). */
  loadedKey: () => string | null;
}

const STEP_MS = 120_000;
/** build-and-copy.sh may take 40 minutes; beyond two hours something is stuck. */
const BUILD_CAP_MS = 2 * 3600_000;

const lastLine = (s: string): string =>
  s
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1) ?? 'no output';

export async function runUpdate(
  d: UpdateJobDeps,
  rec: RecordWriter,
  ctx: JobContext,
  smokeKey: string | null,
): Promise<void> {
  const head = d.nodes[0]!.name;
  rec.enter('preparing');
  const kept = await Promise.all(d.nodes.map((n) => tagRollback(d, n.name, ctx)));
  rec.set({ rollback_image: kept.some((id) => id !== null) ? ROLLBACK_IMAGE : null });

  rec.enter('pulling');
  ctx.log('$ git pull --ff-only');
  const pull = await d.transport.exec(head, pullCommand(d.launcherDir), {
    signal: ctx.signal,
    timeoutMs: STEP_MS,
  });
  const out = pull.stdout.trim().split('\n');
  for (const l of out.slice(0, -1)) ctx.log(l);
  if (pull.code !== 0)
    throw new AppError('UPSTREAM_ERROR', `git pull --ff-only failed: ${lastLine(pull.stdout + pull.stderr)}`);
  rec.set({ to_commit: out.at(-1)?.trim() ?? null });
  ctx.log(`launcher now at ${rec.r.to_commit ?? 'an unknown commit'}`);

  const peers = d.nodes.slice(1).map(copyHost);
  ctx.log(`$ ./build-and-copy.sh${peers.length ? ` -c ${peers.join(' ')}` : ''}`);
  const tail: string[] = [];
  const build = await d.transport.stream(
    head,
    buildCommand(d.launcherDir, peers),
    (line) => {
      tail.push(line);
      if (tail.length > 200) tail.shift();
      const phase = phaseOfBuildLine(line);
      if (phase) rec.enter(phase);
      ctx.log(line);
    },
    { signal: ctx.signal, timeoutMs: BUILD_CAP_MS },
  );
  if (build.code !== 0) throw new AppError('UPSTREAM_ERROR', buildFailure(tail, build.code));

  if (!smokeKey || !d.swaps) {
    rec.set({ smoke_result: 'skipped' });
    return;
  }
  const before = d.loadedKey();
  rec.enter('smoke_test');
  try {
    await swapWithin(d.swaps, rec, ctx, smokeKey, `Smoke test: launching ${smokeKey} with the new image`);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    rec.set({ smoke_result: 'failed' });
    const why = err instanceof Error ? err.message : String(err);
    throw new AppError('UPSTREAM_ERROR', `Smoke test failed: ${smokeKey} did not become ready: ${why}`);
  }
  rec.set({ smoke_result: 'passed' });
  if (!before || before === smokeKey) return;
  rec.enter('restoring');
  try {
    await swapWithin(d.swaps, rec, ctx, before, `Relaunching ${before}, which was loaded before the update`);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    // The update itself worked (the smoke test passed): it stands, and the record says what is left.
    const why = err instanceof Error ? err.message : String(err);
    rec.set({ error: `The update succeeded, but relaunching ${before} failed: ${why}` });
    ctx.log(rec.r.error ?? '');
  }
}

/** The swap's phases show inside the update's job phase; its progress and meta stay the update's. */
async function swapWithin(
  swaps: SmokeSwaps,
  rec: RecordWriter,
  ctx: JobContext,
  key: string,
  origin: string,
): Promise<void> {
  const title = rec.r.phase === 'restoring' ? 'Restoring' : 'Smoke test';
  const inner: JobContext = {
    id: ctx.id,
    signal: ctx.signal,
    log: (l) => ctx.log(l),
    setPhase: (p) => ctx.setPhase(`${title}: ${p}`),
    setProgress: () => undefined,
    setMeta: () => undefined,
  };
  const swap = swaps.runWithin(key, inner, origin);
  rec.set({ smoke_swap_id: swap.id });
  await swap.done;
}

async function tagRollback(d: UpdateJobDeps, node: string, ctx: JobContext): Promise<string | null> {
  const r = await d.transport.exec(node, tagRollbackCommand(), { signal: ctx.signal, timeoutMs: STEP_MS });
  const id = parseTagOutput(r.stdout);
  if (r.code !== 0 || id === undefined)
    throw new AppError(
      'UPSTREAM_ERROR',
      `Could not keep the current image on ${node} for a rollback: ${lastLine(r.stderr || r.stdout)}`,
    );
  ctx.log(
    id ? `[${node}] kept image ${id} as ${ROLLBACK_IMAGE}` : `[${node}] has no vllm-node image to keep`,
  );
  return id;
}

/** Rollback: the launcher back at `commit`, the kept image back under its name on every node. */
export async function runRollback(
  d: UpdateJobDeps,
  rec: RecordWriter,
  ctx: JobContext,
  commit: string,
  image: string | null,
): Promise<void> {
  rec.enter('rolling_back');
  ctx.log(`$ git reset --hard ${commit}`);
  const reset = await d.transport.exec(d.nodes[0]!.name, resetCommand(d.launcherDir, commit), {
    signal: ctx.signal,
    timeoutMs: STEP_MS,
  });
  if (reset.code !== 0)
    throw new AppError('UPSTREAM_ERROR', `git reset --hard failed: ${lastLine(reset.stdout + reset.stderr)}`);
  ctx.log(lastLine(reset.stdout));
  if (!image) {
    ctx.log('The update kept no image (there was none to keep); the image stays as it is.');
    return;
  }
  const failed: string[] = [];
  await Promise.all(
    d.nodes.map(async (n) => {
      try {
        const r = await d.transport.exec(n.name, restoreImageCommand(), {
          signal: ctx.signal,
          timeoutMs: STEP_MS,
        });
        const id = parseTagOutput(r.stdout);
        if (r.code !== 0 || id === undefined) failed.push(`${n.name}: ${lastLine(r.stderr || r.stdout)}`);
        else
          ctx.log(
            id ? `[${n.name}] vllm-node is ${id} again` : `[${n.name}] has no ${ROLLBACK_IMAGE}; left as is`,
          );
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        failed.push(`${n.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  );
  if (failed.length > 0)
    throw new AppError('UPSTREAM_ERROR', `The image could not be restored on ${failed.join('; ')}`);
}
