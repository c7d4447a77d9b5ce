import { describe, expect, it } from 'vitest';
import { expandConfigFile, hostPathFor } from './config-file.js';

const files: Record<string, string> = {
  '/c/a.yaml': [
    'hf-overrides: "{\\"a\\": 1}"',
    'served-model-name: ["x y", 5]',
    'enable-prefix-caching: true',
    'enforce-eager: false',
    'compilation-config: {level: 3, cudagraph: [1, 2]}',
    'max-model-len: 4096',
    'empty: []',
  ].join('\n'),
  '/c/list.yaml': '- a\n',
};
const read = (p: string): string | null => files[p] ?? null;

describe('vllm serve --config', () => {
  it("expands the file right after the model, with load_config_file's rules", () => {
    const r = expandConfigFile(['serve', 'org/m', '--port', '1', '--config', '/c/a.yaml', '--x'], read);
    expect(r).toEqual({
      ok: true,
      file: '/c/a.yaml',
      argv: [
        'serve',
        'org/m',
        '--hf-overrides',
        '{"a": 1}',
        '--served-model-name',
        'x y',
        '5',
        '--enable-prefix-caching',
        '--compilation-config',
        '{"level": 3, "cudagraph": [1, 2]}',
        '--max-model-len',
        '4096',
        '--port',
        '1',
        '--x',
      ],
    });
  });

  it('puts the file first for a parser without a subcommand (the pre-flight script)', () => {
    const r = expandConfigFile(['--model', 'm', '--config', '/c/a.yaml'], read);
    expect(r.ok && r.argv.slice(0, 2)).toEqual(['--hf-overrides', '{"a": 1}']);
    expect(r.ok && r.argv.slice(-2)).toEqual(['--model', 'm']);
  });

  it('fails like vLLM on a missing file, a wrong extension, no path or no model', () => {
    const missing = expandConfigFile(['serve', 'm', '--config', '/c/none.yaml'], read);
    expect(missing.ok).toBe(false);
    const text = missing.ok ? '' : missing.stderr.join('\n');
    expect(text).toMatch(/Unable to read the config file at \/c\/none\.yaml\. Make sure path is correct/);
    expect(text).toMatch(/FileNotFoundError: \[Errno 2\] No such file or directory: '\/c\/none\.yaml'$/);
    const json = expandConfigFile(['serve', 'm', '--config', '/c/a.json'], read);
    expect(!json.ok && json.stderr.at(-1)).toBe(
      'ValueError: Config file must be of a yaml/yml type. json supplied',
    );
    const none = expandConfigFile(['serve', 'm', '--config'], read);
    expect(!none.ok && none.stderr.at(-1)).toMatch(/No config file specified/);
    const noModel = expandConfigFile(['serve', '--config', '/c/a.yaml'], read);
    expect(!noModel.ok && noModel.stderr.at(-1)).toMatch(/No model specified/);
    expect(expandConfigFile(['serve', 'm'], read)).toEqual({ ok: true, argv: ['serve', 'm'], file: null });
  });

  it('maps a container path through the longest matching bind mount', () => {
    const binds = [
      '/home/s/.cache/huggingface:/root/.cache/huggingface',
      '/data:/root/.cache/huggingface/hub:ro',
    ];
    expect(hostPathFor('/root/.cache/huggingface/spark-control/x.yaml', binds)).toBe(
      '/home/s/.cache/huggingface/spark-control/x.yaml',
    );
    expect(hostPathFor('/root/.cache/huggingface/hub/m', binds)).toBe('/data/m');
    expect(hostPathFor('/etc/passwd', binds)).toBeNull();
    expect(hostPathFor('/root/.cache/huggingfacex/a', binds)).toBeNull();
  });
});
