// One catalog entry, as written in models.yaml or sent to POST /api/models. The schema checks
// shapes; the semantic checks reuse the shell-safety validators, because repo, path and every
// arg end up on a remote command line (they are still quoted at the sink).
import { Type, type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import type { ModelMode } from '../../../common/api.js';
import { isAppError } from '../../platform/http/errors.js';
import { validatePath, validateRepo } from '../../platform/remote/validators.js';
import { argsProblems, MAX_ARGS } from './arg-grammar.js';

export const KEY_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';
const KEY_RE = new RegExp(KEY_PATTERN);
const CAPABILITY_PATTERN = '^[a-z0-9][a-z0-9_-]{0,31}$';

const Nullable = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));

export const EntrySchema = Type.Object(
  {
    display_name: Type.String({ minLength: 1, maxLength: 120 }),
    repo: Nullable(Type.String({ description: 'Hugging Face org/name' })),
    path: Nullable(Type.String({ description: 'Model directory on the Spark: /abs/path or ~/path' })),
    size_gb: Type.Number({ exclusiveMinimum: 0, maximum: 4096 }),
    mode: Type.Enum(['solo', 'cluster']),
    vllm_args: Type.Optional(Type.Array(Type.String(), { maxItems: MAX_ARGS })),
    description: Nullable(Type.String({ maxLength: 2000 })),
    capabilities: Type.Optional(Type.Array(Type.String({ pattern: CAPABILITY_PATTERN }), { maxItems: 32 })),
    expected_ready_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  },
  { additionalProperties: false },
);

type EntryInput = Static<typeof EntrySchema>;

export interface CatalogEntry {
  key: string;
  display_name: string;
  repo: string | null;
  path: string | null;
  size_gb: number;
  mode: ModelMode;
  vllm_args: string[];
  description: string | null;
  capabilities: string[];
  expected_ready_seconds: number;
}

/** Without a measured value, a rough guess: a minute of start-up plus loading at ~4 s per GB. */
export const estimateReadySeconds = (sizeGb: number) => Math.round(60 + sizeGb * 4);

/**
 * TypeBox's errors, one line per field: a nullable field's three anyOf errors become
 * "must be string or must be null", and an enum names its allowed values.
 */
function schemaProblems(raw: unknown): string[] {
  const byPath = new Map<string, string[]>();
  for (const e of Value.Errors(EntrySchema, raw)) {
    if (e.keyword === 'boolean' || e.keyword === 'anyOf') continue;
    const at = e.instancePath === '' ? ':' : `.${e.instancePath.slice(1).replaceAll('/', '.')}:`;
    const params = e.params as { additionalProperties?: string[]; allowedValues?: unknown[] };
    let msg = e.message;
    if (e.keyword === 'additionalProperties') msg += ` (${(params.additionalProperties ?? []).join(', ')})`;
    if (e.keyword === 'enum') msg = `must be one of ${(params.allowedValues ?? []).join(', ')}`;
    byPath.set(at, [...(byPath.get(at) ?? []), msg]);
  }
  return [...byPath].map(([at, msgs]) => `${at} ${[...new Set(msgs)].join(' or ')}`);
}

const messageOf = (e: unknown) => (isAppError(e) ? e.message : String(e));

export function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_RE.test(key);
}

/**
 * Validates one entry; every problem is reported (prefixed with `where`) so a bad file is fixed
 * in one go. Returns the normalized entry only when there are no problems.
 */
export function checkEntry(
  key: string,
  raw: unknown,
  where: string,
): { entry: CatalogEntry | null; problems: string[] } {
  const problems: string[] = [];
  if (!isValidKey(key)) problems.push(`${where}: the key must match ${KEY_PATTERN}`);
  const schemaErrors = schemaProblems(raw);
  problems.push(...schemaErrors.map((p) => `${where}${p}`));
  if (schemaErrors.length > 0) return { entry: null, problems };

  const input = raw as EntryInput;
  let repo: string | null = null;
  let path: string | null = null;
  const hasRepo = input.repo !== undefined && input.repo !== null;
  const hasPath = input.path !== undefined && input.path !== null;
  if (hasRepo === hasPath)
    problems.push(`${where}: give exactly one of "repo" (Hugging Face) or "path" (local)`);
  try {
    if (hasRepo) repo = validateRepo(input.repo, `${where}.repo`);
  } catch (e) {
    problems.push(messageOf(e));
  }
  try {
    if (hasPath) path = validatePath(input.path, `${where}.path`);
  } catch (e) {
    problems.push(messageOf(e));
  }
  if (input.display_name.trim() === '') problems.push(`${where}.display_name must not be blank`);
  const args = input.vllm_args ?? [];
  // The grammar (arg-grammar.ts) decides what may reach vLLM through the launcher's re-parsing.
  problems.push(...argsProblems(args, `${where}.vllm_args`));
  if (problems.length > 0) return { entry: null, problems };

  const entry: CatalogEntry = {
    key,
    display_name: input.display_name.trim(),
    repo,
    path,
    size_gb: input.size_gb,
    mode: input.mode,
    vllm_args: [...args],
    description: input.description?.trim() || null,
    capabilities: [...new Set(input.capabilities ?? [])],
    expected_ready_seconds: input.expected_ready_seconds ?? estimateReadySeconds(input.size_gb),
  };
  return { entry, problems };
}
