// The redaction settings: custom patterns are checked here with the detectors' own rule, so a bad
// one is a start-up error naming it (redaction.patterns.<i>) rather than a scrub that fails later.
// The names file is read by the redaction module at start (it is a file, not a setting).
import { customPatternProblem } from '../modules/redaction/detectors/custom-pattern.js';
import type { Problem } from './problems.js';
import type { ConfigFile } from './schema.js';
import type { AppConfig } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkRedaction(candidate: unknown, problems: Problem[]): void {
  const r = isObj(candidate) && isObj(candidate.redaction) ? candidate.redaction : {};
  if (!Array.isArray(r.patterns)) return;
  const seen = new Set<string>();
  r.patterns.forEach((p: unknown, i) => {
    if (!isObj(p) || typeof p.name !== 'string' || typeof p.regex !== 'string') return;
    const path = `redaction.patterns.${i}`;
    const flags = typeof p.flags === 'string' ? p.flags : undefined;
    const problem = customPatternProblem({ name: p.name, regex: p.regex, flags });
    if (problem) problems.push({ path, message: problem });
    if (seen.has(p.name)) problems.push({ path, message: `pattern name "${p.name}" is used twice` });
    seen.add(p.name);
  });
}

export function resolveRedaction(s: ConfigFile): AppConfig['redaction'] {
  const r = s.redaction;
  return {
    retention_hours: r?.retention_hours ?? 24,
    max_text_kb: r?.max_text_kb ?? 1024,
    names: (r?.names ?? []).map((n) => n.trim()).filter(Boolean),
    names_file: r?.names_file?.trim() || null,
    patterns: (r?.patterns ?? []).map((p) => ({
      name: p.name,
      regex: p.regex,
      ...(p.flags ? { flags: p.flags } : {}),
    })),
    default_region: r?.default_region?.toUpperCase() ?? null,
  };
}
