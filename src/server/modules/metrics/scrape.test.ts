// Gauges rendered straight to text: read at each scrape, missing values left out, a series whose
// source is gone vanishes, label values escaped, and a name defined twice refused.
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleOf } from '../../../../test/helpers/prom-text.js';
import { Scrape } from './scrape.js';

describe('Scrape.gauge', () => {
  it('reads the snapshot at each scrape and leaves out what has no value', async () => {
    const s = new Scrape();
    let nodes: [string, number | null][] = [
      ['a"1', 2],
      ['b', null],
      ['c', NaN],
    ];
    s.gauge('temp_celsius', 'Temperature', ['node'], () => nodes.map(([node, v]) => [{ node }, v]));
    const first = parsePrometheusText(await s.metrics());
    expect(first.get('spark_control_temp_celsius')).toMatchObject({ type: 'gauge', help: 'Temperature' });
    expect(first.get('spark_control_temp_celsius')?.samples).toEqual([
      { name: 'spark_control_temp_celsius', labels: { node: 'a"1' }, value: 2 },
    ]);
    nodes = [['b', 7]];
    const second = parsePrometheusText(await s.metrics());
    expect(sampleOf(second, 'spark_control_temp_celsius', { node: 'a"1' })).toBeUndefined();
    expect(sampleOf(second, 'spark_control_temp_celsius', { node: 'b' })).toBe(7);
  });

  it('answers the same bytes as a body as it does as text, families in the same order', async () => {
    const s = new Scrape();
    s.gauge('a', 'A', ['node'], () => [
      [{ node: 'n\u00e9"\\1' }, 1],
      [{ node: 'b' }, 2.5],
    ]);
    s.text((out) => {
      for (const line of ['# HELP x X\n', '# TYPE x counter\n', 'x 3\n']) out.push(line);
    });
    s.text(() => {});
    const text = await s.metrics();
    expect((await s.body()).toString('utf8')).toBe(text);
    expect(text).toBe(
      '# HELP spark_control_a A\n# TYPE spark_control_a gauge\n' +
        'spark_control_a{node="n\u00e9\\"\\\\1"} 1\nspark_control_a{node="b"} 2.5\n' +
        '\n# HELP x X\n# TYPE x counter\nx 3\n\n',
    );
  });

  it('refuses a name defined twice', () => {
    const s = new Scrape();
    s.gauge('x', 'X', [], () => []);
    expect(() => s.gauge('x', 'X again', [], () => [])).toThrow(/twice/);
  });
});
