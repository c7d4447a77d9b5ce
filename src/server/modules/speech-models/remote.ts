// The container as the patch steps see it: commands on its node (all built with `sh`, every value
// validated before), and its HTTP health. One seam, so the step logic is unit-tested with a fake.
import type { PatchStep } from '../../../common/services-api.js';
import { AppError } from '../../platform/http/errors.js';
import { joinCommands, sh, type ShellCommand } from '../../platform/remote/sh.js';
import type { ExecOptions, ExecResult } from '../../platform/remote/transport.js';
import { containerPath, parseSha256sum } from './compare.js';
import type { OverlayFile } from './overlay.js';

export interface PatchRemote {
  /** Runs a command on the container's node. */
  exec(cmd: ShellCommand, opts?: ExecOptions): Promise<ExecResult>;
  /** One look at the service's /health: ok, the models it lists, and what it said. */
  health(signal: AbortSignal): Promise<{ ok: boolean; models: string[]; detail: string }>;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
}

export interface PatchPlan {
  node: string;
  container: string;
  appDir: string;
  files: readonly OverlayFile[];
  healthTimeoutMs: number;
  healthPollMs: number;
}

/** The first reapply keeps the container's own files here (POST /api/speech-models/restore). */
export const ORIGINAL_DIR = '.spark-control-orig';
/** Every reapply keeps the files it replaces here, to roll back a failed one. */
export const PREVIOUS_DIR = '.spark-control-prev';
/** Written last by a backup, so one cut short is taken again. */
export const BACKUP_MARKER = '.taken';

export const EXEC_TIMEOUT_MS = 30_000;
export const RESTART_TIMEOUT_MS = 150_000;

export const appPath = (plan: PatchPlan, name: string): string => containerPath(plan.appDir, name);
export const backupPath = (plan: PatchPlan, dir: string, name: string): string =>
  containerPath(containerPath(plan.appDir, dir), name);

/** The last lines of a command's complaint, for a step's detail. */
export function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Docker itself failed (container gone or stopped, daemon down) rather than the command in it. */
function dockerFailed(r: ExecResult): boolean {
  return (
    r.code === null ||
    r.code >= 125 ||
    /^(Error response from daemon|Cannot connect to the Docker daemon|OCI runtime)/m.test(r.stderr)
  );
}

export async function run(remote: PatchRemote, cmd: ShellCommand, signal: AbortSignal, o: ExecOptions = {}) {
  return remote.exec(cmd, { timeoutMs: EXEC_TIMEOUT_MS, signal, ...o });
}

/** sha256 of each path inside the container; a path it cannot read is absent from the map. */
export async function containerShas(
  remote: PatchRemote,
  plan: PatchPlan,
  paths: string[],
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const r = await run(remote, sh`docker exec ${plan.container} sha256sum ${paths}`, signal);
  if (dockerFailed(r)) {
    throw new AppError('UPSTREAM_ERROR', `docker exec in ${plan.container} failed: ${tail(r.stderr, 2)}`);
  }
  return parseSha256sum(r.stdout);
}

/** Commands that copy `names` from the app dir into a backup dir (recreated), marker last. */
export function backupCommand(plan: PatchPlan, dir: string, names: string[]): ShellCommand {
  const c = plan.container;
  const target = containerPath(plan.appDir, dir);
  const sources = names.map((n) => appPath(plan, n));
  return joinCommands([
    sh`docker exec ${c} rm -rf ${target}`,
    sh`docker exec ${c} mkdir -p ${target}`,
    ...(sources.length ? [sh`docker exec ${c} cp -p ${sources} ${`${target}/`}`] : []),
    sh`docker exec ${c} touch ${backupPath(plan, dir, BACKUP_MARKER)}`,
  ]);
}

/** Puts the backed-up files of `dir` back; files that had no original (`existed` false) are removed. */
export function restoreCommand(plan: PatchPlan, dir: string, existed: ReadonlySet<string>): ShellCommand {
  const c = plan.container;
  const back = plan.files.filter((f) => existed.has(f.name)).map((f) => backupPath(plan, dir, f.name));
  const added = plan.files.filter((f) => !existed.has(f.name)).map((f) => appPath(plan, f.name));
  return joinCommands([
    ...(back.length ? [sh`docker exec ${c} cp -p ${back} ${`${plan.appDir}/`}`] : []),
    ...(added.length ? [sh`docker exec ${c} rm -f ${added}`] : []),
  ]);
}

/** Collects steps, publishes each as it ends. */
export class Steps {
  readonly list: PatchStep[] = [];
  constructor(private readonly onStep: (steps: PatchStep[], last: PatchStep) => void) {}
  add(step: string, ok: boolean, detail: string): boolean {
    const s = { step, ok, detail };
    this.list.push(s);
    this.onStep([...this.list], s);
    return ok;
  }
}

/** `docker restart`, then /health until it answers ok or the time is up. */
export async function restartAndWait(
  remote: PatchRemote,
  plan: PatchPlan,
  steps: Steps,
  signal: AbortSignal,
): Promise<boolean> {
  const r = await run(remote, sh`docker restart ${plan.container}`, signal, {
    timeoutMs: RESTART_TIMEOUT_MS,
  });
  if (!steps.add('restart', r.code === 0, r.code === 0 ? `docker restart ${plan.container}` : tail(r.stderr)))
    return false;
  const started = remote.now();
  let last = 'no answer yet';
  while (remote.now() - started < plan.healthTimeoutMs) {
    await remote.sleep(plan.healthPollMs, signal);
    const h = await remote.health(signal);
    if (h.ok) {
      const secs = ((remote.now() - started) / 1000).toFixed(1);
      return steps.add(
        'health',
        true,
        `healthy after ${secs} s; models: ${h.models.join(', ') || 'none listed'}`,
      );
    }
    last = h.detail;
  }
  const limit = Math.round(plan.healthTimeoutMs / 1000);
  return steps.add('health', false, `not healthy within ${limit} s (last: ${last})`);
}
