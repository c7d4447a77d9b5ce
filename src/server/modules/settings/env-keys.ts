// Settings set by environment variables win over the file (SPEC §1), so the page shows them
// read-only and a PUT may not change them. What the file itself says for such a key is kept as
// it was: the environment's value is never copied into the file.
import { isDeepStrictEqual } from 'node:util';
import type { SettingsDocument, SettingsProblem } from '../../../common/config-api.js';
import type { Origins } from '../../config/problems.js';
import { docPath, isObj } from './document.js';

type Obj = Record<string, unknown>;
const NODE_KEY = /^nodes\.(\d+)\.(\w+)$/;

/** Environment-set keys in the page's coordinates: dotted key (or prefix) → variable. */
export function envKeys(origins: Origins): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, variable] of origins) out[docPath(key)] = variable;
  return out;
}

export function getPath(doc: unknown, path: string): unknown {
  let at: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(at) && /^\d+$/.test(part)) at = at[Number(part)];
    else if (isObj(at)) at = at[part];
    else return undefined;
  }
  return at;
}

/**
 * Sets a dotted key, creating objects on the way; undefined deletes it, and a section left empty
 * by that goes too (the file does not keep `auth: {}` for a key the environment sets).
 */
export function setPath(doc: Obj, path: string, value: unknown): void {
  const parts = path.split('.');
  const chain: Obj[] = [doc];
  for (const part of parts.slice(0, -1)) {
    const at = chain.at(-1)!;
    if (!isObj(at[part])) {
      if (value === undefined) return;
      at[part] = {};
    }
    chain.push(at[part] as Obj);
  }
  const last = parts.at(-1)!;
  if (value !== undefined) {
    chain.at(-1)![last] = value;
    return;
  }
  delete chain.at(-1)![last];
  for (let i = chain.length - 1; i > 0 && Object.keys(chain[i]!).length === 0; i--)
    delete chain[i - 1]![parts[i - 1]!];
}

/** The submitted document is unchecked here: `nodes` may be anything, its rows too. */
const nodesOf = (doc: SettingsDocument): { name?: unknown }[] =>
  Array.isArray(doc.nodes) ? doc.nodes.map((n) => (isObj(n) ? n : {})) : [];
const nodeName = (doc: SettingsDocument, i: number): string | undefined => {
  const name = nodesOf(doc)[i]?.name;
  return typeof name === 'string' ? name : undefined;
};
const nodeIndex = (doc: SettingsDocument, name: string) => nodesOf(doc).findIndex((n) => n.name === name);

/** A problem for every environment-set key the submitted document changes (left out = unchanged). */
export function envChangeProblems(
  submitted: SettingsDocument,
  effective: SettingsDocument,
  env: Record<string, string>,
): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const refuse = (path: string, variable: string, what = 'is set') =>
    problems.push({
      path,
      message: `${what} by the environment variable ${variable}; change it there (the environment wins over the file)`,
    });
  const missingNodes = new Set<string>();
  for (const [key, variable] of Object.entries(env)) {
    const node = NODE_KEY.exec(key);
    if (node) {
      const name = nodeName(effective, Number(node[1]));
      if (name === undefined) continue;
      const j = nodeIndex(submitted, name);
      if (j < 0) {
        if (!missingNodes.has(name))
          refuse('nodes', variable, `node "${name}" cannot be removed here: it is set`);
        missingNodes.add(name);
      } else if (!isDeepStrictEqual(getPath(submitted, `nodes.${j}.${node[2]}`), getPath(effective, key)))
        refuse(`nodes.${j}.${node[2]}`, variable);
      continue;
    }
    const value = getPath(submitted, key);
    if (value !== undefined && !isDeepStrictEqual(value, getPath(effective, key))) refuse(key, variable);
  }
  return problems;
}

/**
 * What the file should say once the environment's keys are given back their file values:
 * `validate` keeps environment-made nodes in place (so problem indices match the page's rows;
 * the merge replaces them by name), `write` leaves out the ones the file never had.
 */
export function restoreFileValues(
  submitted: SettingsDocument,
  currentFile: SettingsDocument,
  effective: SettingsDocument,
  env: Record<string, string>,
): { validate: SettingsDocument; write: SettingsDocument } {
  const base = structuredClone(submitted) as Obj;
  const envNodes = new Set<string>();
  for (const key of Object.keys(env)) {
    const node = NODE_KEY.exec(key);
    if (node) {
      const name = nodeName(effective, Number(node[1]));
      if (name !== undefined) envNodes.add(name);
    } else setPath(base, key, structuredClone(getPath(currentFile, key)));
  }
  const validate = structuredClone(base) as SettingsDocument;
  const write = base as SettingsDocument;
  if (envNodes.size > 0 && Array.isArray(write.nodes) && Array.isArray(validate.nodes)) {
    const fromFile = (name: string) => nodesOf(currentFile).find((n) => n.name === name);
    const isEnv = (n: unknown): n is { name: string } => isObj(n) && envNodes.has(n.name as string);
    validate.nodes = validate.nodes.map((n) =>
      isEnv(n) ? (fromFile(n.name) ?? n) : n,
    ) as typeof validate.nodes;
    write.nodes = write.nodes
      .filter((n) => !isEnv(n) || fromFile(n.name) !== undefined)
      .map((n) => (isEnv(n) ? fromFile(n.name)! : n)) as typeof write.nodes;
    if (write.nodes?.length === 0) delete write.nodes;
  }
  return { validate, write };
}
