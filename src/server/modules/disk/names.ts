// Cache directory names ↔ repo ids. huggingface_hub names a repo's directory `models--ORG--NAME`;
// the Hub forbids `--` and `..` inside ORG and NAME, so the split is unambiguous. Anything else
// found in the cache is never listed and never deleted, and a name from a request is checked with
// the Hub's own rules (validateRepo) before any command is built from it.
import { validateRepo } from '../../platform/remote/validators.js';

export const REPO_DIR_PATTERN = /^models--[A-Za-z0-9._-]+--[A-Za-z0-9._-]+$/;

/** `models--org--name` → `org/name`, or null when the name is not exactly that shape. */
export function parseRepoDir(dir: string): string | null {
  if (!REPO_DIR_PATTERN.test(dir)) return null;
  const parts = dir.slice('models--'.length).split('--');
  if (parts.length !== 2) return null;
  const repo = `${parts[0]}/${parts[1]}`;
  try {
    return validateRepo(repo) === repo ? repo : null;
  } catch {
    return null;
  }
}

/** `org/name` (validated: 400 on anything else) → `models--org--name`. */
export function repoDir(repo: unknown, field = 'repo'): string {
  const valid = validateRepo(repo, field);
  const dir = `models--${valid.replace('/', '--')}`;
  // validateRepo already forbids what would break the pattern; this is the sink's own check.
  if (parseRepoDir(dir) !== valid) throw new Error(`cache directory name check failed for ${valid}`);
  return dir;
}
