// Merges the config file (parsed YAML, not yet checked) with the environment overlay into one
// candidate in the config file's shape, remembering which variable set which key. Nothing is
// validated here: malformed parts are passed on as they are so validation reports them.
import type { EnvOverlay } from './env.js';
import type { Origins, Problem } from './problems.js';
import { SPEECH_DEFAULTS } from './topology.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Nested settings merge key by key; a malformed file value is kept so that it gets reported. */
const mergeSection = (fromFile: unknown, fromEnv: unknown): unknown =>
  fromEnv === undefined
    ? fromFile
    : fromFile === undefined || isObj(fromFile)
      ? { ...(fromFile as Obj | undefined), ...(fromEnv as Obj) }
      : fromFile;

export function mergeSources(
  file: Obj,
  overlay: EnvOverlay,
  problems: Problem[],
): { candidate: Obj; origins: Origins } {
  const origins: Origins = new Map(overlay.origins);
  const candidate: Obj = { ...file, ...overlay.file };
  for (const key of ['vllm', 'gateway', 'auth'])
    if (overlay.file[key] !== undefined || file[key] !== undefined)
      candidate[key] = mergeSection(file[key], overlay.file[key]);

  // Environment nodes replace file nodes of the same name and add the rest.
  if (overlay.nodes.length > 0 && (file.nodes === undefined || Array.isArray(file.nodes))) {
    const nodes: unknown[] = [...((file.nodes as unknown[] | undefined) ?? [])];
    for (const { node, vars } of overlay.nodes) {
      let i = nodes.findIndex((x) => isObj(x) && x.name === node.name);
      if (i >= 0) nodes[i] = node;
      else i = nodes.push(node) - 1;
      for (const [field, variable] of Object.entries(vars)) origins.set(`nodes.${i}.${field}`, variable);
    }
    candidate.nodes = nodes;
  }
  // No nodes at all is the built-in simulated cluster (the schema wants at least one when listed).
  if (Array.isArray(candidate.nodes) && candidate.nodes.length === 0) delete candidate.nodes;
  placeSpeech(candidate, overlay, origins, problems);
  return { candidate, origins };
}

/** PARAKEET_* / MAGPIE_*: HOST names a machine; reuse the node with that host, else add one. */
function placeSpeech(candidate: Obj, overlay: EnvOverlay, origins: Origins, problems: Problem[]): void {
  const nodes = Array.isArray(candidate.nodes) ? (candidate.nodes as unknown[]) : [];
  const entries = Object.entries(overlay.servicePlacement);
  if (entries.length === 0 || !(candidate.services === undefined || isObj(candidate.services))) return;
  const services: Obj = { ...(candidate.services as Obj | undefined) };
  const speechNode = [nodes[1], nodes[0]].find(isObj);
  for (const [name, p] of entries) {
    const PREFIX = name.toUpperCase();
    const configured = isObj(services[name]) ? services[name] : undefined;
    let node = configured?.node ?? speechNode?.name;
    if (p.host !== undefined) {
      const match = nodes.find((n) => isObj(n) && n.host === p.host && (!p.user || n.user === p.user));
      if (isObj(match)) node = match.name;
      else if (p.user === undefined && speechNode === undefined) {
        problems.push({
          path: `${PREFIX}_HOST`,
          message: `is set but no SSH user is known (set ${PREFIX}_USER)`,
        });
        continue;
      } else {
        const i = nodes.push({ name, host: p.host, user: p.user ?? speechNode?.user }) - 1;
        origins.set(`nodes.${i}.host`, `${PREFIX}_HOST`);
        if (p.user !== undefined) origins.set(`nodes.${i}.user`, `${PREFIX}_USER`);
        origins.set(`nodes.${i}.name`, `${PREFIX}_HOST`);
        node = name;
      }
      origins.set(`services.${name}.node`, `${PREFIX}_HOST`);
    }
    if (node === undefined) continue;
    const service: Obj = { ...SPEECH_DEFAULTS[name], ...configured, node };
    if (p.port !== undefined) {
      service.port = p.port;
      origins.set(`services.${name}.port`, `${PREFIX}_PORT`);
    }
    if (p.container !== undefined) {
      service.container = p.container;
      origins.set(`services.${name}.container`, `${PREFIX}_CONTAINER`);
    }
    services[name] = service;
  }
  if (nodes.length > 0) candidate.nodes = nodes;
  candidate.services = services;
}
