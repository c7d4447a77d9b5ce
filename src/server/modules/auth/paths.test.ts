import { describe, expect, it } from 'vitest';
import { isAdminPath } from './index.js';

describe('which paths need an admin', () => {
  it('covers control routes, dashboard reads and the API document', () => {
    for (const p of [
      '/api',
      '/api/hardware',
      '/api/events',
      '/api/sim/nodes/spark1/down',
      '/api/authx',
      '/api/auth-x/y',
      '/api/gateway/stats',
      '/api/audiox',
      '/api/searchx',
      '/docs',
      '/docs/json',
      '/docs/static/index.html',
    ])
      expect(isAdminPath(p), p).toBe(true);
  });

  it('leaves the login routes, the data plane and the dashboard files open', () => {
    for (const p of [
      '/api/auth',
      '/api/auth/login',
      '/api/auth/session',
      '/v1/models',
      '/v1/chat/completions',
      '/api/health-event',
      '/api/search',
      '/api/audio/x',
      '/scrub',
      '/rehydrate',
      '/',
      '/index.html',
      '/assets/index.js',
      '/docsx',
      '/apix',
    ])
      expect(isAdminPath(p), p).toBe(false);
  });
});
