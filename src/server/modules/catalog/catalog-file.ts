// The bundled catalog (assets/models.yaml). Read once at start; a bad file stops start-up with
// every problem listed, because a half-loaded catalog would only fail later, at swap time.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { checkEntry, type CatalogEntry } from './entry.js';

/** assets/models.yaml at the repository root, from src/… (tsx) and from dist/… (built) alike. */
export const DEFAULT_BUNDLED_PATH = fileURLToPath(new URL('../../../../assets/models.yaml', import.meta.url));

export class CatalogFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid model catalog ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogFileError';
  }
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** YAML reads `- 65536` as a number; an arg is text, so numbers are taken as written. */
function argsAsText(raw: unknown): unknown {
  if (!isMapping(raw) || !Array.isArray(raw.vllm_args)) return raw;
  return { ...raw, vllm_args: raw.vllm_args.map((a: unknown) => (typeof a === 'number' ? String(a) : a)) };
}

/** Parses and validates catalog YAML text; throws CatalogFileError listing all problems. */
export function parseCatalog(text: string, source = 'models.yaml'): CatalogEntry[] {
  let doc: unknown;
  try {
    // uniqueKeys (the default) makes a duplicated model key a parse error instead of a silent overwrite.
    doc = parseYaml(text);
  } catch (e) {
    throw new CatalogFileError(source, [`not valid YAML (${(e as Error).message.split('\n')[0]})`]);
  }
  if (!isMapping(doc) || !isMapping(doc.models)) {
    throw new CatalogFileError(source, ['the file must have a top-level "models:" mapping of key → entry']);
  }
  const problems: string[] = [];
  const extra = Object.keys(doc).filter((k) => k !== 'models');
  if (extra.length > 0) problems.push(`unknown top-level fields: ${extra.join(', ')}`);
  const entries: CatalogEntry[] = [];
  for (const [key, raw] of Object.entries(doc.models)) {
    const r = checkEntry(key, argsAsText(raw), `models.${key}`);
    problems.push(...r.problems);
    if (r.entry) entries.push(r.entry);
  }
  if (entries.length === 0 && problems.length === 0) problems.push('"models" has no entries');
  if (problems.length > 0) throw new CatalogFileError(source, problems);
  return entries;
}

export function loadCatalogFile(path: string = DEFAULT_BUNDLED_PATH): CatalogEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CatalogFileError(path, [`cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`]);
  }
  return parseCatalog(text, path);
}
