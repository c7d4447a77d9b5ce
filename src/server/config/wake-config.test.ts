import { describe, expect, it } from 'vitest';
import { withSimulatedNodes } from './simulated.js';
import { validateSettings } from './validate.js';

const base = { nodes: [{ name: 'spark1', host: 'spark1.local', user: 'alice' }] };

const resolve = (extra: Record<string, unknown>) => {
  const r = validateSettings({ ...base, ...extra });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.config;
};

describe('wake config', () => {
  it('defaults to the limited broadcast on ports 9 and 7', () => {
    expect(resolve({}).wake).toEqual({ broadcast_address: '255.255.255.255', ports: [9, 7] });
  });

  it('takes a subnet broadcast address and ports', () => {
    expect(resolve({ wake: { broadcast_address: ' 192.0.2.255 ', ports: [9] } }).wake).toEqual({
      broadcast_address: '192.0.2.255',
      ports: [9],
    });
  });

  it.each([
    [{ broadcast_address: 'spark1.local' }, 'wake.broadcast_address', /must be an IPv4 address/],
    [{ broadcast_address: '192.0.2.256' }, 'wake.broadcast_address', /must be an IPv4 address/],
    [{ ports: [0] }, 'wake.ports', /./],
    [{ ports: [] }, 'wake.ports', /./],
    [{ port: 9 }, 'wake', /./],
  ])('refuses %j at %s', (wake, key, message) => {
    const r = validateSettings({ ...base, wake });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const problem = r.problems.find((p) => p.path.startsWith(key));
    expect(problem?.message).toMatch(message);
  });

  it('an invalid MAC in the config is refused at start-up', () => {
    const r = validateSettings({ nodes: [{ ...base.nodes[0], mac: 'aa:bb:cc' }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toContain('nodes.0.mac');
  });
});

describe('the simulator never broadcasts off loopback', () => {
  const sim = {
    nodes: [{ name: 'spark1', host: '127.0.0.1', port: 2222, user: 'spark', mac: '02:00:00:00:00:01' }],
    vllm: { port: 8888 },
  };
  const config = { ...resolve({ wake: { broadcast_address: '192.0.2.255', ports: [9] } }), data_dir: '/x' };

  it('points the broadcast at the simulated LAN listener', () => {
    const c = withSimulatedNodes(config as never, { ...sim, lan: { address: '127.0.0.1', port: 40000 } });
    expect(c.wake).toEqual({ broadcast_address: '127.0.0.1', ports: [40000] });
  });

  it('falls back to loopback without a listener, or when the listener is not on loopback', () => {
    expect(withSimulatedNodes(config as never, sim).wake).toEqual({
      broadcast_address: '127.0.0.1',
      ports: [9],
    });
    const odd = withSimulatedNodes(config as never, { ...sim, lan: { address: '192.0.2.1', port: 40000 } });
    expect(odd.wake.broadcast_address).toBe('127.0.0.1');
  });
});
