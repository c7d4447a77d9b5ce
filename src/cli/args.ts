// Cheap argument checks before anything is sent: a typo gets a usage error (exit 2) naming the
// rule, without a round trip. The server checks again and stays the judge.
import { InvalidArgumentError } from 'commander';

/** The catalog's key rule (GET /api/models keys). */
const MODEL_KEY = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** A Hugging Face repo id, `org/name`. */
const REPO = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
/** A configured node's name. */
const NODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function parseModelKey(value: string): string {
  if (!MODEL_KEY.test(value))
    throw new InvalidArgumentError(
      'a model key is 1-64 lowercase letters, digits, ".", "_" or "-" (see spark-control models)',
    );
  return value;
}

export function parseRepo(value: string): string {
  if (!REPO.test(value) || value.includes('..'))
    throw new InvalidArgumentError('a Hugging Face repo looks like org/name, e.g. Qwen/Qwen3-0.6B');
  return value;
}

/** `spark1,spark2` → `['spark1', 'spark2']` (spaces allowed, duplicates dropped). */
export function parseNodeList(value: string): string[] {
  const nodes = [...new Set(value.split(',').map((n) => n.trim()))];
  if (nodes.length === 0 || nodes.some((n) => !NODE.test(n)))
    throw new InvalidArgumentError('a comma-separated list of node names, e.g. spark1,spark2');
  return nodes;
}
