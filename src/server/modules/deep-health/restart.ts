// The automatic restart of a speech service as a job (kind `auto-restart`): `docker restart
// <container>` over SSH, then wait until the service's health route answers 200 again. It holds
// the container's lock, so actions, NIM installs and patch reapplies exclude it and it excludes them.
//
// Never used for vLLM: with spark-vllm-docker, vllm_node's PID 1 is `sleep infinity` and vLLM is
// exec'd in by the launcher, so a restarted container serves no model (and one run with `--rm` is
// gone). vLLM is relaunched through the swap engine instead (auto-restart.ts → swap/relaunch.ts),
// which takes the swap's own locks; `restartLocks` still names them so that a decision is refused
// ('locked') while a swap, or an action on vllm_node, holds any of them.
import { request } from 'undici';
import type { JobContext } from '../../platform/jobs/types.js';
import { sh } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { ProbeTarget } from './probes.js';

/** How long `docker restart` may take (docker's own stop timeout is 10 s, then the start). */
const RESTART_TIMEOUT_MS = 120_000;
/** How long the service may take to load again (NIMs load their model for a minute or more). */
export const HEALTH_WAIT_MS = 300_000;
const POLL_MS = 500;

export const containerLock = (node: string, container: string) => `container:${node}:${container}`;

/** The locks that refuse a restart of `t`: its container's, and for vLLM the swap's (`node:<head>`, `gpu`). */
export function restartLocks(t: ProbeTarget): string[] {
  const own = containerLock(t.node, t.container);
  return t.kind === 'vllm' ? [own, `node:${t.node}`, 'gpu'] : [own];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

async function healthy(url: string, signal: AbortSignal): Promise<boolean> {
  try {
    const res = await request(url, {
      method: 'GET',
      signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]),
    });
    await res.body.dump();
    return res.statusCode === 200;
  } catch {
    return false;
  }
}

export async function runRestart(
  ctx: JobContext,
  t: ProbeTarget,
  reason: string,
  transport: NodeTransport,
  healthWaitMs = HEALTH_WAIT_MS,
): Promise<void> {
  ctx.log(`Deep check failed (${reason}): restarting ${t.container} on ${t.node}`);
  ctx.setPhase('Restarting the container');
  const res = await transport.exec(t.node, sh`docker restart ${t.container}`, {
    timeoutMs: RESTART_TIMEOUT_MS,
    signal: ctx.signal,
  });
  if (res.code !== 0) {
    const why = (res.stderr || res.stdout).trim().split('\n').at(-1) ?? '';
    throw new Error(`docker restart ${t.container} exited ${res.code}${why ? `: ${why}` : ''}`);
  }
  ctx.log(`docker restart ${t.container}: done`);
  const url = t.healthUrl();
  if (!url) return;
  ctx.setPhase('Waiting for the service to answer');
  const started = Date.now();
  while (!(await healthy(url, ctx.signal))) {
    if (Date.now() - started > healthWaitMs)
      throw new Error(
        `${t.name} did not answer its health check within ${healthWaitMs / 1000} s of the restart`,
      );
    await sleep(POLL_MS, ctx.signal);
  }
  ctx.log(`${t.name} answers its health check again after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
