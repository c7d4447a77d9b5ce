// A configuration problem names where it is (a config-file key like `nodes.1.user`, or the
// environment variable that set it, like `SPARK2_USER`) and says what is wrong. Messages may
// quote a value only when the key is not a secret.

export interface Problem {
  /** Dotted config key (`vllm.container`, `nodes.0.host`) or an environment variable name. */
  path: string;
  message: string;
}

export const problemLine = (p: Problem): string => `${p.path}: ${p.message}`;

export class ConfigError extends Error {
  constructor(
    readonly problems: Problem[],
    /** What was read: the config file and/or the environment. */
    source = 'configuration',
  ) {
    const noun = problems.length === 1 ? 'problem' : 'problems';
    super(
      `Invalid ${source}, ${problems.length} ${noun}:\n${problems.map((p) => `  - ${problemLine(p)}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Where each value of the merged settings came from: config key (or key prefix) → env variable. */
export type Origins = Map<string, string>;

/** Renames a problem's config key to the environment variable that supplied the value, if any. */
export function locate(p: Problem, origins: Origins): Problem {
  const exact = origins.get(p.path);
  if (exact) return { ...p, path: exact };
  const parts = p.path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const env = origins.get(parts.slice(0, i).join('.'));
    if (!env) continue;
    // A list variable (SWAP_WEBHOOK_URLS, GATEWAY_API_KEYS…): name the entry as the owner counts.
    const [index, ...rest] = parts.slice(i);
    const entry = /^\d+$/.test(index!) ? `${env} entry ${Number(index) + 1}` : `${env} (${p.path})`;
    return { ...p, path: rest.length > 0 && /^\d+$/.test(index!) ? `${entry} ${rest.join('.')}` : entry };
  }
  return p;
}
