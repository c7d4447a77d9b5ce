import { describe, expect, it } from 'vitest';
import { CatalogFileError, loadCatalogFile, parseCatalog } from './catalog-file.js';
import { argsProblems } from './arg-grammar.js';
import { extractKnobs } from './knobs.js';

function problemsOf(text: string): string[] {
  try {
    parseCatalog(text, 'test.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogFileError);
    return (e as CatalogFileError).problems;
  }
  throw new Error('expected the catalog to be refused');
}

const batched = (args: string[]) =>
  args.some((a) => /^--max[-_]num[-_]batched[-_]tokens=16384$/.test(a)) ||
  args.join(' ').includes('--max-num-batched-tokens 16384');

describe('the bundled catalog', () => {
  const entries = loadCatalogFile();

  it('loads, with unique keys and about five models', () => {
    expect(entries.length).toBeGreaterThanOrEqual(5);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
  });

  it('includes the simulator default as a solo model', () => {
    const q = entries.find((e) => e.repo === 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8');
    expect(q?.key).toBe('qwen3-30b-a3b');
    expect(q?.mode).toBe('solo');
  });

  it('bakes in the known vLLM fixes', () => {
    for (const e of entries) {
      const needsBatched = e.capabilities.some((c) => ['vision', 'multimodal', 'hybrid-mamba'].includes(c));
      if (needsBatched) expect(batched(e.vllm_args), e.key).toBe(true);
      const util = extractKnobs(e.vllm_args).gpu_memory_utilization;
      expect(util, e.key).not.toBeNull();
      expect(util!, e.key).toBeLessThanOrEqual(0.85);
      expect(e.description, e.key).toBeTruthy();
      expect(argsProblems(e.vllm_args), e.key).toEqual([]);
    }
    expect(entries.some((e) => e.vllm_args.includes('--moe_backend=flashinfer_cutlass'))).toBe(true);
    expect(entries.some((e) => e.capabilities.includes('hybrid-mamba'))).toBe(true);
    expect(entries.some((e) => e.capabilities.includes('vision'))).toBe(true);
    const cluster = entries.filter((e) => e.mode === 'cluster');
    expect(cluster.length).toBeGreaterThanOrEqual(1);
    for (const e of cluster) expect(e.vllm_args).toContain('--tensor-parallel-size=2');
  });
});

describe('parseCatalog', () => {
  it('reads repo and path entries, fills defaults and takes numeric args as text', () => {
    const [a, b] = parseCatalog(`
models:
  small:
    display_name: Small
    repo: org/small-FP8
    size_gb: 10
    mode: solo
    vllm_args: [--max-model-len, 8192, --gpu-memory-utilization, 0.7]
  local.ft:
    display_name: Local
    path: ~/models/ft/
    size_gb: 5
    mode: cluster
    description:
`);
    expect(a).toMatchObject({
      key: 'small',
      repo: 'org/small-FP8',
      path: null,
      vllm_args: ['--max-model-len', '8192', '--gpu-memory-utilization', '0.7'],
      description: null,
      capabilities: [],
      expected_ready_seconds: 100,
    });
    expect(b).toMatchObject({ key: 'local.ft', repo: null, path: '~/models/ft', vllm_args: [] });
  });

  it('lists every problem in a bad file, naming where each one is', () => {
    const problems = problemsOf(`
models:
  Bad_Key:
    display_name: x
    repo: org/x
    size_gb: 1
    mode: solo
  hostile:
    display_name: Hostile
    repo: "a/b;rm -rf ~"
    size_gb: 1
    mode: solo
    vllm_args: ["--ok", "--evil\\nrm -rf /", "--port=9000", "", "--x", "a\\u0085b"]
  both:
    display_name: Both
    repo: org/x
    path: /data/x
    size_gb: 1
    mode: solo
  neither:
    display_name: Neither
    size_gb: 1
    mode: solo
  traversal:
    display_name: T
    path: /data/../etc
    size_gb: 1
    mode: solo
  shapes:
    display_name: ""
    repo: org/x
    size_gb: -3
    mode: trio
    colour: blue
`);
    const text = problems.join('\n');
    expect(text).toContain('models.Bad_Key: the key must match');
    expect(text).toContain('models.hostile.repo must look like "org/name"');
    expect(text).toContain('models.hostile.vllm_args[1] contains U+000A (a control character)');
    expect(text).toContain('models.hostile.vllm_args[5] contains U+0085 (a control character)');
    expect(text).toContain('models.hostile.vllm_args[2] must not set --port');
    expect(text).toContain('models.hostile.vllm_args[3] must not be empty');
    expect(text).toMatch(/models\.both: give exactly one of "repo".*"path"/);
    expect(text).toMatch(/models\.neither: give exactly one of/);
    expect(text).toContain("models.traversal.path must not contain a '..' segment");
    expect(text).toContain('models.shapes.display_name');
    expect(text).toContain('models.shapes.size_gb');
    expect(text).toContain('models.shapes.mode');
    expect(text).toContain('colour');
    expect(problems.length).toBeGreaterThanOrEqual(12);
  });

  it.each([
    ['not YAML', 'models: [unclosed', /not valid YAML/],
    ['no models mapping', 'model: {}', /top-level "models:"/],
    ['empty models', 'models: {}', /no entries/],
    ['duplicate keys', 'models:\n  a: {}\n  a: {}', /not valid YAML/],
  ])('refuses %s', (_name, text, want) => {
    expect(problemsOf(text).join('\n')).toMatch(want);
  });

  it('says which file could not be read', () => {
    expect(() => loadCatalogFile('/nonexistent/models.yaml')).toThrow(/\/nonexistent\/models\.yaml.*ENOENT/s);
  });
});
