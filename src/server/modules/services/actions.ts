// start/stop/restart of a service container as a job (kind `service-action`) with a live log, under
// the lock `container:<node>:<container>` that deep-health restarts, NIM installs and patch
// reapplies also take, so two actions on one container never overlap (409 naming the holder).
import type { ServiceAction } from '../../../common/services-api.js';
import { AppError } from '../../platform/http/errors.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import { sh } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { validateContainerName } from '../../platform/remote/validators.js';
import { stripAnsi } from './ansi.js';
import { actionRefusal } from './refusal.js';
import type { ServiceDef, ServiceRegistry } from './registry.js';
import { containerLock, type ServicesSnapshot } from './snapshot.js';

export interface ActionDeps {
  registry: ServiceRegistry;
  snapshot: ServicesSnapshot;
  runner: JobRunnerApi;
  transport: NodeTransport;
  /** docker stop waits up to 10 s before SIGKILL; a restart also waits for the start. */
  actionTimeoutMs?: number;
}

const VERB: Record<ServiceAction, string> = { start: 'Starting', stop: 'Stopping', restart: 'Restarting' };

/** The last non-empty line, for an error message that says what docker said. */
const lastLine = (text: string): string =>
  text
    .split('\n')
    .map((l) => stripAnsi(l).trim())
    .filter(Boolean)
    .at(-1) ?? '';

/** How a job holding a container reads in a refusal. */
function jobTitle(job: { kind: string; meta: Record<string, unknown> }): string {
  const what = typeof job.meta.service === 'string' ? ` of ${job.meta.service}` : '';
  if (job.kind === 'service-action' && typeof job.meta.action === 'string')
    return `A ${job.meta.action}${what}`;
  if (job.kind === 'matrix-bridge-update') return `An update${what}`;
  return `A ${job.kind} job${what}`;
}

export class ServiceActions {
  constructor(private readonly d: ActionDeps) {}

  /** 409 naming the job (an action, a deep-health restart, a NIM install…) that holds the container. */
  assertFree(def: ServiceDef): void {
    const holder = this.d.runner.holder(containerLock(def));
    if (holder)
      throw new AppError(
        'CONFLICT',
        `${jobTitle(holder)} is running on ${def.container} (job ${holder.id}); try again when it finishes.`,
        { details: { job: holder } },
      );
  }

  /** 404 unknown, 409 pointless or locked; otherwise the job's id (the work runs in the job). */
  run(name: string, action: ServiceAction): { job_id: string } {
    const def = this.d.registry.require(name);
    // Another job on this container first: saying who is more useful than the state it left.
    this.assertFree(def);
    const info = this.d.snapshot.one(def.name);
    const refusal = actionRefusal(def.name, info?.docker_state ?? 'unknown', action, info?.error ?? null);
    if (refusal)
      throw new AppError('CONFLICT', refusal, { details: { docker_state: info?.docker_state ?? 'unknown' } });
    const container = validateContainerName(def.container);
    const job = this.d.runner.start({
      kind: 'service-action',
      locks: [containerLock(def)],
      title: `a ${action} of ${def.name}`,
      meta: { service: def.name, action, node: def.node, container },
      run: async (ctx) => {
        ctx.setPhase(`${VERB[action]} ${def.name}`);
        ctx.log(`$ docker ${action} ${container}   (on ${def.node})`);
        const r = await this.d.transport.stream(
          def.node,
          sh`docker ${action} ${container} 2>&1`,
          (line) => ctx.log(stripAnsi(line)),
          {
            signal: ctx.signal,
            timeoutMs: this.d.actionTimeoutMs ?? 180_000,
          },
        );
        // Locks are still held: the snapshot the next request reads already shows the outcome.
        await this.d.snapshot.refresh(def.node);
        const now = this.d.snapshot.one(def.name);
        ctx.log(
          `${def.name}: docker says ${now?.docker_state ?? 'unknown'}${now?.health ? `, health ${now.health}` : ''}`,
        );
        if (r.code !== 0)
          throw new AppError(
            'UPSTREAM_ERROR',
            `docker ${action} ${container} failed (exit ${r.code ?? 'killed'}): ${lastLine(r.stdout) || 'no output'}`,
          );
        ctx.setPhase('done');
      },
    });
    return { job_id: job.id };
  }

  /**
   * Removes a custom service's card; with `removeContainer`, first `docker rm -f` (awaited, so a
   * failure keeps the card and says why — nothing half-done).
   */
  async remove(
    name: string,
    removeContainer: boolean,
  ): Promise<{ removed: string; container_removed: boolean }> {
    const def: ServiceDef = this.d.registry.require(name);
    if (!def.custom)
      throw new AppError(
        'BAD_REQUEST',
        `"${def.name}" comes from the configuration; only installed services can be removed.`,
      );
    this.assertFree(def);
    if (removeContainer) {
      const r = await this.d.transport.exec(
        def.node,
        sh`docker rm -f ${validateContainerName(def.container)}`,
        { timeoutMs: 60_000 },
      );
      if (r.code !== 0 && !/No such container/i.test(r.stderr))
        throw new AppError(
          'UPSTREAM_ERROR',
          `docker rm -f ${def.container} failed: ${lastLine(r.stderr) || `exit ${r.code ?? 'killed'}`}`,
        );
    }
    this.d.registry.removeCustom(def.name);
    return { removed: def.name, container_removed: removeContainer };
  }
}
