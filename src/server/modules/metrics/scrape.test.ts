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

  it('refuses a name defined twice', () => {
    const s = new Scrape();
    s.gauge('x', 'X', [], () => []);
    expect(() => s.gauge('x', 'X again', [], () => [])).toThrow(/twice/);
  });
});
