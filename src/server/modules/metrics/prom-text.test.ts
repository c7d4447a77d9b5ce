// The strict exposition parser the metrics tests rely on (test/helpers/prom-text.ts) must refuse
// what Prometheus would refuse, or those tests would pass on broken output.
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleOf } from '../../../../test/helpers/prom-text.js';

const ok = `# HELP a_total Things.\n# TYPE a_total counter\na_total{x="1",y="q\\"uote\\\\ \\n"} 3\n# HELP h Latency.\n# TYPE h histogram\nh_bucket{le="0.5"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1.5\nh_count 2\n`;

describe('parsePrometheusText', () => {
  it('reads families, types, help, escaped labels and values', () => {
    const f = parsePrometheusText(ok);
    expect(f.get('a_total')).toMatchObject({ type: 'counter', help: 'Things.' });
    expect(f.get('a_total')?.samples[0]?.labels).toEqual({ x: '1', y: 'q"uote\\ \n' });
    expect(sampleOf(f, 'h', {}, 'h_count')).toBe(2);
  });

  it.each([
    ['no trailing newline', 'x 1'],
    ['a sample without a family', '# TYPE a gauge\nb 1\n'],
    ['a bad value', '# TYPE a gauge\na one\n'],
    ['an unterminated label value', '# TYPE a gauge\na{x="1} 1\n'],
    ['a bad escape', '# TYPE a gauge\na{x="\\t"} 1\n'],
    ['a duplicate series', '# TYPE a gauge\na{x="1"} 1\na{x="1"} 2\n'],
    ['TYPE after samples', '# TYPE a gauge\na 1\n# HELP a late\n'],
    ['an unknown type', '# TYPE a meter\n'],
    ['a bad metric name', '# TYPE 1a gauge\n'],
    ['two spaces before the value', '# TYPE a gauge\na  1\n'],
    [
      'buckets going down',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 0\nh_count 1\n',
    ],
    ['+Inf different from count', '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_sum 0\nh_count 2\n'],
    ['no +Inf bucket', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 0\nh_count 1\n'],
  ])('refuses %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
