// The speech-model patches module in one call for buildApp: the shipped overlay (read once), the
// snapshot service with its background refresh, and the routes.
import type { FastifyInstance } from 'fastify';
import type { DockerState } from '../../../common/services-api.js';
import type { AppConfig } from '../../config/types.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { defaultOverlayDir, loadOverlay } from './overlay.js';
import { speechModelsRoutes } from './routes.js';
import { SpeechModelsService, type SpeechModelsTimings } from './service.js';

export { SpeechModelsService } from './service.js';

export interface SpeechModelsDeps extends SpeechModelsTimings {
  config: AppConfig;
  transport: NodeTransport;
  runner: JobRunnerApi;
  /** The overlay to ship (tests point this at a copy with a broken file); default overlays/parakeet. */
  overlayDir?: string;
  /** false: no background refresh (tests that drive it by hand). */
  startRefresh?: boolean;
  /** Docker's view of a service (the services snapshot), for what an interrupted job left. */
  dockerOf?: (service: string) => DockerState | null;
}

export async function speechModelsModule(
  app: FastifyInstance,
  d: SpeechModelsDeps,
): Promise<SpeechModelsService> {
  const files = loadOverlay(d.overlayDir ?? defaultOverlayDir());
  const service = new SpeechModelsService({ ...d, files });
  await app.register(speechModelsRoutes, { service });
  if (d.startRefresh !== false) app.addHook('onReady', async () => service.start());
  app.addHook('onClose', async () => service.stop());
  return service;
}
