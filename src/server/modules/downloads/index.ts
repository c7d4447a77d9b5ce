// The downloads module in one call for buildApp: the service on the job runner and its routes.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { type DownloadReport, DownloadService } from './service.js';
import { downloadRoutes } from './routes.js';

export { downloadLock, DownloadService } from './service.js';

export interface DownloadsModuleDeps {
  config: Pick<AppConfig, 'nodes' | 'secrets'>;
  runner: JobRunnerApi;
  transport: NodeTransport;
  connectivity?: { report(r: DownloadReport): unknown };
}

export async function downloadsModule(
  app: FastifyInstance,
  d: DownloadsModuleDeps,
): Promise<DownloadService> {
  const downloads = new DownloadService({
    runner: d.runner,
    transport: d.transport,
    nodes: () => d.config.nodes.map((n) => n.name),
    hfToken: () => d.config.secrets.hf_token,
    report: (r) => {
      try {
        d.connectivity?.report(r);
      } catch (err) {
        app.log.warn({ err }, 'could not record a download report');
      }
    },
  });
  await app.register(downloadRoutes, { downloads });
  return downloads;
}
