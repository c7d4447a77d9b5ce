// The three patch operations as step sequences (SPEC §7). Each records every step (name, ok,
// detail) as it ends and throws when the operation failed, so the job ends `failed` with the steps
// kept in its meta. Reapply never restarts a container whose new files did not compile, and puts
// the files it replaced back when it fails (or is cancelled) after touching them. A control-plane
// shutdown leaves the work as it is: the job is then shown interrupted, and restore puts back the
// container's original files.
import { AppError } from '../../platform/http/errors.js';
import { joinCommands, sh } from '../../platform/remote/sh.js';
import { JobShutdown } from '../../platform/jobs/types.js';
import { summarize, compareFiles } from './compare.js';
import type { Steps } from './remote.js';
import {
  appPath,
  BACKUP_MARKER,
  backupCommand,
  backupPath,
  containerShas,
  ORIGINAL_DIR,
  type PatchPlan,
  type PatchRemote,
  PREVIOUS_DIR,
  restartAndWait,
  restoreCommand,
  run,
  tail,
} from './remote.js';

export type PatchOp = 'reapply' | 'restore' | 'restart';

const fail = (what: string): never => {
  throw new AppError('UPSTREAM_ERROR', what);
};

export async function reapply(remote: PatchRemote, plan: PatchPlan, steps: Steps, signal: AbortSignal) {
  const c = plan.container;
  const appPaths = plan.files.map((f) => appPath(plan, f.name));
  const before = await containerShas(
    remote,
    plan,
    [...appPaths, backupPath(plan, ORIGINAL_DIR, BACKUP_MARKER)],
    signal,
  );
  const existing = plan.files.filter((f) => before.has(appPath(plan, f.name))).map((f) => f.name);
  const originalKept = before.has(backupPath(plan, ORIGINAL_DIR, BACKUP_MARKER));
  steps.add('check', true, `${summarize(compareFiles(plan.files, plan.appDir, before))} in ${c}`);

  const backups = [backupCommand(plan, PREVIOUS_DIR, existing)];
  if (!originalKept) backups.unshift(backupCommand(plan, ORIGINAL_DIR, existing));
  const b = await run(remote, joinCommands(backups), signal);
  if (
    !steps.add('backup', b.code === 0, b.code === 0 ? backupDetail(existing, originalKept) : tail(b.stderr))
  )
    fail(`Could not back up the container's files: ${tail(b.stderr, 2)}`);

  const existed = new Set(existing);
  try {
    await copyIn(remote, plan, steps, signal);
    const after = await containerShas(remote, plan, appPaths, signal);
    const rows = compareFiles(plan.files, plan.appDir, after);
    const bad = rows.filter((r) => r.status !== 'in_sync').map((r) => r.path);
    if (
      !steps.add(
        'verify',
        bad.length === 0,
        bad.length ? `differ after copy: ${bad.join(', ')}` : summarize(rows),
      )
    )
      fail(`The copied files differ from the shipped ones: ${bad.join(', ')}`);
    const py = await run(remote, sh`docker exec ${c} python3 -m py_compile ${appPaths}`, signal);
    if (
      !steps.add(
        'py_compile',
        py.code === 0,
        py.code === 0 ? `${appPaths.length} files compile` : tail(py.stderr),
      )
    )
      fail(
        `Python syntax check failed in ${c}; the previous files are back and the container was not restarted`,
      );
  } catch (err) {
    if (signal.reason instanceof JobShutdown) throw err;
    const r = await remote.exec(restoreCommand(plan, PREVIOUS_DIR, existed), { timeoutMs: 30_000 });
    steps.add('rollback', r.code === 0, r.code === 0 ? 'previous files restored' : tail(r.stderr));
    throw err;
  }
  if (!(await restartAndWait(remote, plan, steps, signal)))
    fail(`${c} did not come back healthy after the restart`);
}

function backupDetail(existing: string[], originalKept: boolean): string {
  const what = existing.length ? existing.join(', ') : 'no files yet';
  return originalKept
    ? `backed up ${what} (originals kept from the first reapply)`
    : `originals kept in ${ORIGINAL_DIR}: ${what}`;
}

/** Writes the files to a temp dir on the node (content on stdin, never on a command line), then docker cp. */
async function copyIn(remote: PatchRemote, plan: PatchPlan, steps: Steps, signal: AbortSignal) {
  const mk = await run(remote, sh`mktemp -d`, signal);
  const dir = mk.stdout.trim();
  if (mk.code !== 0 || !/^\/[A-Za-z0-9._/-]+$/.test(dir)) {
    steps.add('copy', false, `mktemp failed: ${tail(mk.stderr || mk.stdout)}`);
    fail('Could not make a temp directory on the node');
  }
  try {
    for (const f of plan.files) {
      const w = await run(remote, sh`cat > ${`${dir}/${f.name}`}`, signal, { stdin: f.content });
      if (w.code !== 0) {
        steps.add('copy', false, `writing ${f.name} on the node: ${tail(w.stderr)}`);
        fail(`Could not write ${f.name} on the node`);
      }
    }
    // `dir/.` copies the directory's contents into the app dir: all files in one docker cp.
    const cp = await run(remote, sh`docker cp ${`${dir}/.`} ${`${plan.container}:${plan.appDir}`}`, signal);
    if (
      !steps.add('copy', cp.code === 0, cp.code === 0 ? `${plan.files.length} files copied` : tail(cp.stderr))
    )
      fail(`docker cp into ${plan.container} failed`);
  } finally {
    await remote.exec(sh`rm -rf ${dir}`, { timeoutMs: 30_000 }).catch(() => undefined);
  }
}

/** Puts the container's own files (kept by the first reapply) back and restarts it. */
export async function restore(remote: PatchRemote, plan: PatchPlan, steps: Steps, signal: AbortSignal) {
  const marker = backupPath(plan, ORIGINAL_DIR, BACKUP_MARKER);
  const found = await containerShas(
    remote,
    plan,
    [marker, ...plan.files.map((f) => backupPath(plan, ORIGINAL_DIR, f.name))],
    signal,
  );
  if (!found.has(marker)) {
    steps.add('check', false, `no backup in ${appPath(plan, ORIGINAL_DIR)}: reapply never ran here`);
    throw new AppError(
      'CONFLICT',
      `Nothing to restore in ${plan.container}: the patches were never reapplied there`,
    );
  }
  const existed = new Set(
    plan.files.filter((f) => found.has(backupPath(plan, ORIGINAL_DIR, f.name))).map((f) => f.name),
  );
  steps.add('check', true, `originals: ${[...existed].join(', ') || 'none (all overlay files were added)'}`);
  const r = await run(remote, restoreCommand(plan, ORIGINAL_DIR, existed), signal);
  if (!steps.add('restore', r.code === 0, r.code === 0 ? 'original files back in place' : tail(r.stderr)))
    fail(`Could not restore the original files in ${plan.container}`);
  if (!(await restartAndWait(remote, plan, steps, signal)))
    fail(`${plan.container} did not come back healthy after the restart`);
}

export async function restartOnly(remote: PatchRemote, plan: PatchPlan, steps: Steps, signal: AbortSignal) {
  if (!(await restartAndWait(remote, plan, steps, signal)))
    fail(`${plan.container} did not come back healthy after the restart`);
}

export const OPERATIONS: Record<PatchOp, typeof reapply> = { reapply, restore, restart: restartOnly };
