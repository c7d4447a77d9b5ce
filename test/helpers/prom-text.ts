// A strict parser of Prometheus' text exposition format 0.0.4, for tests. No parser package is
// installed (parse-prometheus-text-format would be the one to add); this one follows the format's
// grammar line by line and throws on anything a Prometheus server would refuse or misread:
// a malformed line, a bad metric or label name, an unescaped label value, a sample outside its
// declared family, a HELP/TYPE given twice or after the family's samples, a duplicate series,
// non-cumulative histogram buckets, a missing +Inf bucket or one that differs from _count.

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  help: string | null;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: PromSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: number): number {
  // As Prometheus reads them (Go's ParseFloat): NaN and Inf in any letter case (prom-client writes `Nan`).
  if (/^[+]?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text))
    throw new Error(`line ${line}: bad value "${text}"`);
  return Number(text);
}

/** `{a="x",b="y"}` starting at text[0] === '{'; returns the labels and the rest of the line. */
function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  const fail = (why: string) => new Error(`line ${line}: ${why} in "${text}"`);
  for (;;) {
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!m) throw fail('bad label name');
    const name = m[0];
    i += name.length;
    if (text.slice(i, i + 2) !== '="') throw fail(`label ${name} without ="`);
    i += 2;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) throw fail('unterminated label value');
      if (c === '"') break;
      if (c === '\n') throw fail('raw line break in a label value');
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw fail(`bad escape \\${next ?? ''}`);
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    i++;
    if (Object.hasOwn(labels, name)) throw fail(`label ${name} given twice`);
    if (name.startsWith('__')) throw fail(`reserved label name ${name}`);
    labels[name] = value;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw fail('expected , or }');
  }
}

function familyOf(sample: string, families: Map<string, PromFamily>): PromFamily | undefined {
  const direct = families.get(sample);
  if (direct) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sample.endsWith(suffix)) continue;
    const f = families.get(sample.slice(0, -suffix.length));
    if (f && (f.type === 'histogram' || (f.type === 'summary' && suffix !== '_bucket'))) return f;
  }
  return undefined;
}

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const started = new Set<string>();
  const series = new Set<string>();
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a line break');
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw === '') return;
    if (raw.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(raw);
      if (!m) {
        if (/^# (HELP|TYPE)\b/.test(raw)) throw new Error(`line ${line}: malformed ${raw}`);
        return; // a plain comment
      }
      const [, kind, name, rest = ''] = m as unknown as [string, 'HELP' | 'TYPE', string, string?];
      if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name ${name}`);
      if (started.has(name)) throw new Error(`line ${line}: ${kind} for ${name} after its samples`);
      const f = families.get(name) ?? { name, help: null, type: 'untyped' as const, samples: [] };
      families.set(name, f);
      if (kind === 'HELP') {
        if (f.help !== null) throw new Error(`line ${line}: second HELP for ${name}`);
        if (/\\[^n\\]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`line ${line}: bad escape in HELP`);
        f.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      } else {
        if (!TYPES.has(rest)) throw new Error(`line ${line}: unknown type "${rest}"`);
        if (f.type !== 'untyped' || f.samples.length > 0)
          throw new Error(`line ${line}: second TYPE for ${name}`);
        f.type = rest as PromFamily['type'];
      }
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(raw);
    if (!m) throw new Error(`line ${line}: not a sample: "${raw}"`);
    const name = m[1]!;
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const parts = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
    if (!parts) throw new Error(`line ${line}: expected " value [timestamp]" after the labels: "${raw}"`);
    const value = parseValue(parts[1]!, line);
    for (const l of Object.keys(labels))
      if (!LABEL_NAME.test(l)) throw new Error(`line ${line}: bad label ${l}`);
    const family = familyOf(name, families);
    if (!family) throw new Error(`line ${line}: sample ${name} has no TYPE/HELP family before it`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(key)) throw new Error(`line ${line}: duplicate series ${key}`);
    series.add(key);
    started.add(family.name);
    family.samples.push({ name, labels, value });
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function checkHistogram(f: PromFamily): void {
  const groups = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}_bucket without le`);
      g.buckets.push([parseValue(le, 0), s.value]);
    } else if (s.name === `${f.name}_count`) g.count = s.value;
    else if (s.name === `${f.name}_sum`) g.sum = s.value;
    else throw new Error(`${s.name} in histogram ${f.name}`);
  }
  for (const [key, g] of groups) {
    const sorted = [...g.buckets].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++)
      if (sorted[i]![1] < sorted[i - 1]![1]) throw new Error(`${f.name}${key}: buckets not cumulative`);
    const inf = sorted.at(-1);
    if (!inf || inf[0] !== Infinity) throw new Error(`${f.name}${key}: no +Inf bucket`);
    if (g.count === undefined || g.sum === undefined)
      throw new Error(`${f.name}${key}: _count or _sum missing`);
    if (inf[1] !== g.count) throw new Error(`${f.name}${key}: +Inf bucket ${inf[1]} ≠ _count ${g.count}`);
  }
}

/** The one sample of `family` (or its `_count`/`_bucket`… `name`) whose labels include `labels`. */
export function sampleOf(
  families: Map<string, PromFamily>,
  family: string,
  labels: Record<string, string> = {},
  name = family,
): number | undefined {
  const f = families.get(family);
  const hits = (f?.samples ?? []).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length > 1) throw new Error(`${name}${JSON.stringify(labels)} matches ${hits.length} series`);
  return hits[0]?.value;
}
