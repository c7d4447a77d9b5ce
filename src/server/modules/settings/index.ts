// The settings module in one call for buildApp: the settings page's service and its routes
// (GET/PUT /api/config, POST /api/restart).
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import { settingsRoutes } from './routes.js';
import { SettingsService } from './service.js';

export { SettingsService } from './service.js';

export async function settingsModule(
  app: FastifyInstance,
  o: {
    config: AppConfig;
    /** The environment the config was loaded with (env-set keys are read-only on the page). */
    env?: Record<string, string | undefined>;
    /** Restarts the server in place (main.ts); absent: POST /api/restart answers 409. */
    restart?: () => void;
  },
): Promise<SettingsService> {
  const settings = new SettingsService({ config: o.config, env: o.env ?? {}, log: app.log });
  await app.register(settingsRoutes, { settings, restart: o.restart });
  return settings;
}
