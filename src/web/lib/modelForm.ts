// Pure parsing of the Add model form: hints shown as the user types, and the request body.
// Blocking errors mirror the server's rules (SPEC §4); softer hints only advise.
import type { ModelMode } from '../../common/api.js';

export type ModelSource = 'repo' | 'path';

export interface ModelFormValues {
  key: string;
  display_name: string;
  source: ModelSource;
  repo: string;
  path: string;
  size_gb: string;
  mode: ModelMode;
  vllm_args: string;
  description: string;
  capabilities: string;
}

/** The body of `POST /api/models`. */
export interface CreateModelBody {
  key: string;
  display_name: string;
  repo?: string;
  path?: string;
  size_gb: number;
  mode: ModelMode;
  vllm_args?: string[];
  description?: string;
  capabilities?: string[];
}

export type FormField = keyof ModelFormValues;

export interface ModelFormCheck {
  body: CreateModelBody | null;
  /** Must be fixed before sending. */
  errors: Partial<Record<FormField, string>>;
  /** Worth a look; the server has the last word. */
  hints: Partial<Record<FormField, string>>;
}

export const EMPTY_MODEL_FORM: ModelFormValues = {
  key: '',
  display_name: '',
  source: 'repo',
  repo: '',
  path: '',
  size_gb: '',
  mode: 'solo',
  vllm_args: '',
  description: '',
  capabilities: '',
};

/** One flag per line; blank lines dropped. */
export function parseArgLines(text: string): { args: string[]; hint: string | null } {
  const args = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const spaced = args.find((a) => /\s/.test(a) && !a.includes('='));
  return {
    args,
    hint: spaced ? `Write "${spaced}" as --flag=value: each line is passed to vLLM as one argument.` : null,
  };
}

/** "vision, Tools ,," → ["vision", "tools"]. */
export function parseCapabilities(text: string): string[] {
  const caps = text
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '');
  return caps.filter((c, i) => caps.indexOf(c) === i);
}

const REPO = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;
const KEY_CHARS = /^[a-z0-9][a-z0-9._-]*$/;
const PATH_CHARS = /^[\w./~+-]+$/;

export function checkModelForm(v: ModelFormValues): ModelFormCheck {
  const errors: ModelFormCheck['errors'] = {};
  const hints: ModelFormCheck['hints'] = {};
  const key = v.key.trim();
  if (key === '') errors.key = 'Required: a short id, e.g. my-finetune.';
  else if (/[\s/?#%]/.test(key)) errors.key = 'No spaces, slashes, ?, # or %: the key is part of URLs.';
  else if (!KEY_CHARS.test(key)) hints.key = 'Usually lowercase letters, digits, ".", "_" and "-".';
  const name = v.display_name.trim();
  if (name === '') errors.display_name = 'Required: the name shown on the card.';

  const repo = v.repo.trim();
  const path = v.path.trim();
  if (v.source === 'repo') {
    if (repo === '') errors.repo = 'Required: the Hugging Face id, org/name.';
    else if (!REPO.test(repo)) errors.repo = 'Expected org/name, e.g. Qwen/Qwen3-32B-FP8.';
  } else if (path === '') errors.path = 'Required: a directory on the Spark.';
  else if (!(path.startsWith('/') || path.startsWith('~/'))) errors.path = 'Start with / or ~/.';
  else if (path.split('/').includes('..')) errors.path = 'No ".." in the path.';
  else if (!PATH_CHARS.test(path))
    hints.path = 'Unusual characters: the server accepts letters, digits, . _ - / ~.';

  const size = Number(v.size_gb.trim());
  if (v.size_gb.trim() === '' || !Number.isFinite(size) || size <= 0) {
    errors.size_gb = 'The size of the weights in GB, above 0 (used for the memory-fit check).';
  }

  const { args, hint } = parseArgLines(v.vllm_args);
  if (hint) hints.vllm_args = hint;
  const caps = parseCapabilities(v.capabilities);
  const description = v.description.trim();

  if (Object.keys(errors).length > 0) return { body: null, errors, hints };
  const body: CreateModelBody = { key, display_name: name, size_gb: size, mode: v.mode };
  if (v.source === 'repo') body.repo = repo;
  else body.path = path;
  if (args.length > 0) body.vllm_args = args;
  if (description) body.description = description;
  if (caps.length > 0) body.capabilities = caps;
  return { body, errors, hints };
}
