// The NIM installer module in one call for buildApp: the catalog and install routes on the job
// runner. Installed NIMs are handed to `registerService` (the services module's registry, wired by
// the composition root); without it an install still runs and says it was not registered.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { urlHost } from '../health/status-service.js';
import type { RegisterService } from './installer.js';
import { NimInstalls } from './installs.js';
import { nimRoutes } from './routes.js';
import { NimService } from './service.js';

export type { NimServiceDef, RegisterService } from './installer.js';
export { NIM_INSTALL_KIND, NimService } from './service.js';

export interface NimModuleDeps {
  config: Pick<AppConfig, 'nodes' | 'vllm' | 'services' | 'secrets'>;
  runner: JobRunnerApi;
  transport: NodeTransport;
  registerService?: RegisterService;
  /** Ports taken by services registered at run time (the services module), beside the config's. */
  registeredPorts?: (node: string) => { port: number; owner: string }[];
  /** Whether a container is a service already (its card then explains an interrupted install). */
  isService?: (node: string, container: string) => boolean;
  readyTimeoutMs?: number;
  pollMs?: number;
}

export async function nimModule(app: FastifyInstance, d: NimModuleDeps): Promise<NimService> {
  const { config } = d;
  const portsInUse = (node: string) => [
    ...(config.vllm.nodes[0] === node ? [{ port: config.vllm.port, owner: 'vLLM' }] : []),
    ...Object.values(config.services)
      .filter((s) => s.node === node)
      .map((s) => ({ port: s.port, owner: `service ${s.name}` })),
    ...(d.registeredPorts?.(node) ?? []),
  ];
  const nim = new NimService({
    runner: d.runner,
    transport: d.transport,
    nodes: config.nodes.map((n) => n.name),
    portsInUse,
    ngcKey: () => config.secrets.ngc_api_key,
    baseUrl: (node, port) =>
      `http://${urlHost(config.nodes.find((n) => n.name === node)?.host ?? '127.0.0.1')}:${port}`,
    registerService: d.registerService,
    readyTimeoutMs: d.readyTimeoutMs,
    pollMs: d.pollMs,
  });
  const installs = new NimInstalls({
    runner: d.runner,
    transport: d.transport,
    isService: d.isService ?? (() => false),
    registerService: d.registerService,
    portsInUse,
  });
  await app.register(nimRoutes, { nim, installs });
  return nim;
}
