// Who may search: a gateway API key when keys are configured (the collections may hold the
// owner's documents, and a key that guards /v1/embeddings should not leave a search over the same
// data open), or a dashboard sign-in so the Data tab works (gateway/key-access.ts).
import type { AdminAuth } from '../auth/service.js';
import { apiKeyAccessHook } from '../gateway/key-access.js';

export function searchAccessHook(o: {
  apiKeys: readonly { name: string; key: string }[];
  admin: AdminAuth | null;
}) {
  return apiKeyAccessHook({ ...o, what: 'Vector search' });
}
