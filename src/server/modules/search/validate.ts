// Pure checks of a search request (SPEC §12), run before anything reaches the embeddings service
// or Qdrant: a hostile collection name or a malformed body is refused here, never upstream.
import { COLLECTION_NAME_PATTERN, type SearchRequest } from '../../../common/search-api.js';
import { AppError } from '../../platform/http/errors.js';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;
/** Characters of `query`: far beyond a search phrase, well within an embedding model's context. */
export const MAX_QUERY_CHARS = 8000;
/** Components of `vector` (the largest common embedding models have 4096). */
export const MAX_VECTOR_DIMS = 65536;

const NAME = new RegExp(COLLECTION_NAME_PATTERN);

/** A validated request: exactly one of `query` / `vector`, the defaults filled in. */
export interface SearchInput {
  collection: string;
  query: string | null;
  vector: number[] | null;
  limit: number;
  filter: Record<string, unknown> | null;
  score_threshold: number | null;
  with_payload: boolean;
}

const bad = (message: string, param: string) => new AppError('BAD_REQUEST', message, { details: { param } });
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a collection name cannot be used as Qdrant's path segment, or null when it can. */
export function collectionNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name === '') return 'collection is required (a string)';
  if (!NAME.test(name)) {
    return 'collection must be 1–255 characters of letters, digits, ".", "_" and "-"';
  }
  if (name.includes('..')) return 'collection must not contain ".."';
  return null;
}

export function parseSearchRequest(body: unknown): SearchInput {
  if (!isObj(body)) throw bad('The body must be a JSON object.', 'body');
  const known = ['collection', 'query', 'vector', 'limit', 'filter', 'score_threshold', 'with_payload'];
  const unknown = Object.keys(body).find((k) => !known.includes(k));
  if (unknown !== undefined)
    throw bad(`Unknown field "${unknown.slice(0, 40)}"; expected ${known.join(', ')}.`, unknown);
  const req = body as Partial<Record<keyof SearchRequest, unknown>>;

  const nameProblem = collectionNameProblem(req.collection);
  if (nameProblem) throw bad(nameProblem, 'collection');
  const hasQuery = req.query !== undefined && req.query !== null;
  const hasVector = req.vector !== undefined && req.vector !== null;
  if (hasQuery === hasVector) throw bad('Send exactly one of query (text) or vector (numbers).', 'query');

  let query: string | null = null;
  if (hasQuery) {
    if (typeof req.query !== 'string' || req.query.trim() === '')
      throw bad('query must be a non-empty string.', 'query');
    if (req.query.length > MAX_QUERY_CHARS)
      throw bad(`query is longer than ${MAX_QUERY_CHARS} characters.`, 'query');
    query = req.query;
  }
  let vector: number[] | null = null;
  if (hasVector) {
    const v = req.vector;
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_VECTOR_DIMS) {
      throw bad(`vector must be an array of 1 to ${MAX_VECTOR_DIMS} numbers.`, 'vector');
    }
    if (!v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw bad('vector must hold only finite numbers.', 'vector');
    }
    vector = v as number[];
  }

  const limit = req.limit ?? DEFAULT_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw bad(`limit must be an integer from 1 to ${MAX_LIMIT}.`, 'limit');
  }
  const filter = req.filter ?? null;
  if (filter !== null && !isObj(filter))
    throw bad('filter must be a JSON object (a Qdrant filter).', 'filter');
  const threshold = req.score_threshold ?? null;
  if (threshold !== null && (typeof threshold !== 'number' || !Number.isFinite(threshold))) {
    throw bad('score_threshold must be a finite number.', 'score_threshold');
  }
  const withPayload = req.with_payload ?? true;
  if (typeof withPayload !== 'boolean') throw bad('with_payload must be true or false.', 'with_payload');

  return {
    collection: req.collection as string,
    query,
    vector,
    limit,
    filter,
    score_threshold: threshold,
    with_payload: withPayload,
  };
}
