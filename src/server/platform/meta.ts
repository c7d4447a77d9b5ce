// GET /api/meta: the cluster's name, this version, the nodes and their roles, and whether the
// cluster is simulated, from the config as it is now.
import type { FastifyInstance } from 'fastify';
import type { MetaResponse } from '../../common/api.js';
import type { AppConfig } from '../config/types.js';
import { VERSION } from '../version.js';

export function metaOf(config: AppConfig): MetaResponse {
  return {
    name: config.cluster_name,
    version: VERSION,
    simulated: config.simulated,
    open_webui_url: config.open_webui_url,
    nodes: config.nodes.map((n) => ({
      name: n.name,
      host: n.host,
      user: n.user,
      roles: [
        ...(config.vllm.nodes.includes(n.name) ? ['vllm'] : []),
        ...Object.values(config.services)
          .filter((s) => s.node === n.name)
          .map((s) => s.name),
      ],
    })),
  };
}

export async function metaRoutes(app: FastifyInstance, d: { config: AppConfig }) {
  app.get(
    '/api/meta',
    { schema: { summary: 'Cluster name, version, nodes and whether it is simulated', tags: ['platform'] } },
    // Per request: the settings page applies the name and the Open WebUI link live.
    async () => metaOf(d.config),
  );
}
