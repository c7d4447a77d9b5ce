// `vllm serve … --config <file>` as vLLM reads it (FlexibleArgumentParser._pull_args_from_config and
// load_config_file in vllm/utils/argparse_utils.py): a YAML mapping whose entries become flags
// inserted right after the model positional, so flags given on the command line win. `true` →
// `--key`, a list → `--key item…`, a mapping → `--key <json>`, anything else → `--key str(value)`.
// The file is opened inside the container: the caller maps the path through the container's mounts.
import { parse as parseYaml } from 'yaml';

export type ConfigExpansion =
  { ok: true; argv: string[]; file: string | null } | { ok: false; code: number; stderr: string[] };

/** Python's str() of a YAML value (PyYAML types). */
function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number')
    return Number.isInteger(v) ? String(v) : String(v).replace(/e([+-])(\d)$/, 'e$10$2');
  if (typeof v === 'string') return v;
  return pyJson(v);
}

/** json.dumps with Python's default separators (", " and ": "). */
function pyJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pyJson(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v) ?? 'null';
}

const traceback = (error: string[], frames = 'load_config_file'): string[] => [
  'Traceback (most recent call last):',
  '  File "/usr/local/bin/vllm", line 10, in <module>',
  '    sys.exit(main())',
  '             ^^^^^^',
  '  File "/usr/local/lib/python3.12/dist-packages/vllm/entrypoints/cli/main.py", line 46, in main',
  '    args = parser.parse_args()',
  '  File "/usr/local/lib/python3.12/dist-packages/vllm/utils/argparse_utils.py", line 214, in parse_args',
  '    args = self._pull_args_from_config(args)',
  `  File "/usr/local/lib/python3.12/dist-packages/vllm/utils/argparse_utils.py", line 331, in ${frames}`,
  ...error,
];

/** The flags one config file stands for, or the error vLLM stops with. */
function loadConfigFile(path: string, read: (path: string) => string | null): string[] | { error: string[] } {
  const extension = path.split('.').at(-1) ?? '';
  if (extension !== 'yaml' && extension !== 'yml')
    return {
      error: traceback([`ValueError: Config file must be of a yaml/yml type. ${extension} supplied`]),
    };
  const text = read(path);
  if (text === null) {
    const now = new Date();
    const stamp = `${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')} ${now.toISOString().slice(11, 19)}`;
    return {
      error: [
        `ERROR ${stamp} [argparse_utils.py:327] Unable to read the config file at ${path}. Make sure path is correct`,
        ...traceback([`FileNotFoundError: [Errno 2] No such file or directory: '${path}'`]),
      ],
    };
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { version: '1.1' });
  } catch (e) {
    return { error: traceback([`yaml.scanner.ScannerError: ${(e as Error).message.split('\n')[0]}`]) };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return { error: traceback(["AttributeError: 'str' object has no attribute 'items'"]) };
  const out: string[] = [];
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof value === 'boolean') {
      if (value) out.push(`--${key}`);
    } else if (Array.isArray(value)) {
      if (value.length > 0) out.push(`--${key}`, ...value.map(pyStr));
    } else if (value !== null && typeof value === 'object') {
      out.push(`--${key}`, pyJson(value));
    } else out.push(`--${key}`, pyStr(value));
  }
  return out;
}

/**
 * Expands `--config <file>` in argv as FlexibleArgumentParser does: for `serve <model> …` the
 * file's flags go right after the model; without a subcommand (a parser in a script) first.
 */
export function expandConfigFile(
  argv: readonly string[],
  read: (path: string) => string | null,
): ConfigExpansion {
  const index = argv.indexOf('--config');
  if (index < 0) return { ok: true, argv: [...argv], file: null };
  if (index === argv.length - 1)
    return {
      ok: false,
      code: 1,
      stderr: traceback(['ValueError: No config file specified! Please check your command-line arguments.']),
    };
  const file = argv[index + 1]!;
  const loaded = loadConfigFile(file, read);
  if (!Array.isArray(loaded)) return { ok: false, code: 1, stderr: loaded.error };
  const rest = [...argv.slice(0, index), ...argv.slice(index + 2)];
  if (rest[0] === undefined || rest[0].startsWith('-')) return { ok: true, argv: [...loaded, ...rest], file };
  if (rest[0] === 'serve') {
    const modelInCli = rest.length > 1 && !rest[1]!.startsWith('-');
    if (!modelInCli && !loaded.includes('--model'))
      return {
        ok: false,
        code: 1,
        stderr: traceback([
          'ValueError: No model specified! Please specify model either as a positional argument or in a config file.',
        ]),
      };
    const head = modelInCli ? rest.slice(0, 2) : rest.slice(0, 1);
    return { ok: true, argv: [...head, ...loaded, ...rest.slice(head.length)], file };
  }
  return { ok: true, argv: [rest[0], ...loaded, ...rest.slice(1)], file };
}

/** A path inside a container → the host path its bind mounts (`host:container[:opts]`) give it, or null. */
export function hostPathFor(containerPath: string, binds: readonly string[]): string | null {
  let best: { host: string; target: string } | null = null;
  for (const b of binds) {
    const [host, target] = b.split(':');
    if (!host || !target) continue;
    const t = target.replace(/\/+$/, '');
    if (
      (containerPath === t || containerPath.startsWith(`${t}/`)) &&
      (!best || t.length > best.target.length)
    )
      best = { host: host.replace(/\/+$/, ''), target: t };
  }
  return best ? best.host + containerPath.slice(best.target.length) : null;
}
