// The NIM installer's entry point: checks a request (400/409 before any SSH), makes sure the NGC
// key is configured, refuses a container name already taken on the node, and starts the
// `nim-install` job under the container's lock.
import type { NimCatalogEntry, NimInstallRequest } from '../../../common/services-api.js';
import { AppError } from '../../platform/http/errors.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { NIM_CATALOG } from './catalog.js';
import { stateCommand } from './commands.js';
import { NimInstall, type InstallerDeps } from './installer.js';
import { validateInstall, type InstallContext } from './validate.js';

export const NIM_INSTALL_KIND = 'nim-install';

export interface NimServiceDeps extends InstallerDeps, InstallContext {
  runner: JobRunnerApi;
  transport: NodeTransport;
  /** secrets.ngc_api_key (config `ngc_api_key`, environment NGC_API_KEY); read at each install. */
  ngcKey(): string | null;
}

export class NimService {
  constructor(private readonly d: NimServiceDeps) {}

  catalog(): { entries: NimCatalogEntry[] } {
    return { entries: [...NIM_CATALOG] };
  }

  async install(req: NimInstallRequest): Promise<{ job_id: string }> {
    const v = validateInstall(req, this.d);
    const key = this.d.ngcKey();
    if (!key)
      throw new AppError(
        'INVALID_INPUT',
        'No NGC API key is configured: set NGC_API_KEY in the environment or ngc_api_key in the config file (an nvapi-… key from ngc.nvidia.com), then install again.',
        { details: { field: 'ngc_api_key' } },
      );
    const locks = [`container:${v.node}:${v.container}`, `port:${v.node}:${v.port}`];
    for (const lock of locks) {
      const holder = this.d.runner.holder(lock);
      if (holder)
        throw new AppError(
          'CONFLICT',
          `Another job (${holder.kind} ${holder.id}) is working on ${lock.split(':').slice(1).join(' ')}; try again when it finishes.`,
          {
            details: { job: holder },
          },
        );
    }
    const existing = await this.d.transport.exec(v.node, stateCommand(v.container), { timeoutMs: 10_000 });
    if (existing.code === 0)
      throw new AppError(
        'CONFLICT',
        `A container named ${v.container} already exists on ${v.node} (${existing.stdout.trim().split(' ')[0] ?? 'unknown state'}); choose another name or remove it first.`,
        { details: { field: 'container' } },
      );
    const job = this.d.runner.start({
      kind: NIM_INSTALL_KIND,
      locks,
      title: `an install of ${v.image} as ${v.container} on ${v.node}`,
      // kind and register_service: what GET /api/nim/installs registers an interrupted install as.
      meta: {
        image: v.image,
        container: v.container,
        node: v.node,
        port: v.port,
        kind: v.kind,
        register_service: v.register,
      },
      run: (ctx) => new NimInstall(v, key, ctx, this.d).run(),
    });
    return { job_id: job.id };
  }
}
