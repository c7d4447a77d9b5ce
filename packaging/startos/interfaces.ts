// Two interfaces on the server's one port: the dashboard, and the OpenAI-compatible API whose
// description page (/api/endpoints) lists the base URL, models and a curl example for other apps.
import { sdk } from './sdk.js';
import { SERVER_PORT } from './main.js';

export const setInterfaces = sdk.setupInterfaces(async ({ effects }) => {
  const origin = await sdk.MultiHost.of(effects, 'main').bindPort(SERVER_PORT, { protocol: 'http' });
  const ui = sdk.createInterface(effects, {
    name: 'Web UI',
    id: 'ui',
    description: 'The Spark Control dashboard: hardware, models, swaps, speech services, settings',
    type: 'ui',
    masked: false,
    schemeOverride: null,
    username: null,
    path: '',
    query: {},
  });
  const api = sdk.createInterface(effects, {
    name: 'OpenAI-compatible API',
    id: 'api',
    description:
      'One URL for chat, completions, speech to text, text to speech and embeddings (/v1). This page (/api/endpoints) lists the base URL, the model ids and an example request.',
    type: 'api',
    masked: false,
    schemeOverride: null,
    username: null,
    path: '/api/endpoints',
    query: {},
  });
  return [await origin.export([ui, api])];
});
