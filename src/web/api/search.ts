// The vector-search endpoints (SPEC §12) as the Data tab uses them.
import type { CollectionsResponse, SearchRequest, SearchResponse } from '../../common/search-api.js';
import { apiRequest } from './client.js';

export const searchKeys = { collections: ['search', 'collections'] as const };

export const getCollections = (signal?: AbortSignal) =>
  apiRequest<CollectionsResponse>('/api/search/collections', { signal });

export const runSearch = (body: SearchRequest, signal?: AbortSignal) =>
  apiRequest<SearchResponse>('/api/search', { method: 'POST', body, signal });
