import { describe, expect, it } from 'vitest';
import type { DockerState, ServiceAction } from '../../../common/services-api.js';
import { actionRefusal } from './refusal.js';

const table: [DockerState, Record<ServiceAction, boolean>][] = [
  ['running', { start: false, stop: true, restart: true }],
  ['exited', { start: true, stop: false, restart: true }],
  ['restarting', { start: false, stop: true, restart: false }],
  ['paused', { start: false, stop: true, restart: true }],
  ['missing', { start: false, stop: false, restart: false }],
  ['unknown', { start: false, stop: false, restart: false }],
];

describe('actionRefusal', () => {
  for (const [state, allowed] of table)
    for (const action of ['start', 'stop', 'restart'] as const)
      it(`${action} when ${state}: ${allowed[action] ? 'allowed' : 'refused'}`, () => {
        const r = actionRefusal('parakeet', state, action, 'spark2: connection refused');
        if (allowed[action]) expect(r).toBeNull();
        else expect(r).toMatch(/parakeet/);
      });

  it('an unknown state says why and that nothing was attempted', () => {
    expect(actionRefusal('magpie', 'unknown', 'restart', 'spark2: connection refused')).toBe(
      'Cannot restart magpie: its state is unknown (spark2: connection refused); nothing was attempted.',
    );
  });
});
