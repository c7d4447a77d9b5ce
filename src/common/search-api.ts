// Shapes of the vector-search proxy (SPEC §12), shared by the server and the dashboard.

/** POST /api/search: `query` (embedded by the embeddings service) or `vector`, not both. */
export interface SearchRequest {
  collection: string;
  query?: string;
  vector?: number[];
  /** 1–100, default 10. */
  limit?: number;
  /** A Qdrant filter object, passed through as is. */
  filter?: Record<string, unknown>;
  score_threshold?: number;
  /** Default true. */
  with_payload?: boolean;
}

export interface SearchHit {
  id: string | number;
  score: number;
  payload: Record<string, unknown> | null;
}

export interface SearchResponse {
  results: SearchHit[];
  took_ms: number;
}

/** GET /api/search/collections */
export interface CollectionsResponse {
  collections: { name: string }[];
}

/** A collection name as Qdrant's path segment accepts it (and never `..`). */
export const COLLECTION_NAME_PATTERN = '^[A-Za-z0-9._-]{1,255}$';
