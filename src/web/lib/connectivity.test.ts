import { describe, expect, it } from 'vitest';
import type { ConnectivityEvent, ConnectivityResponse } from '../../common/api.js';
import { cellKind, cellTitle, countEvents, describeEvent, formatMs, orderSubjects } from './connectivity.js';

const ev = (over: Partial<ConnectivityEvent>): ConnectivityEvent => ({
  id: 1,
  ts: '2026-06-20T10:00:00.000Z',
  subject: 'spark1',
  kind: 'transition',
  ok: true,
  source: 'hardware',
  error: null,
  ms: null,
  previous_state_s: null,
  ...over,
});
const unknown = { state: 'unknown' as const, last_change: null, since_s: null };

describe('orderSubjects', () => {
  it('puts nodes first in configured order, then services, then subjects only reports name', () => {
    const log: ConnectivityResponse = {
      // A node added to the config later is listed after the services by the server.
      subjects: { spark2: unknown, vllm: unknown, parakeet: unknown, spark3: unknown, spark1: unknown },
      events: [ev({ subject: 'recap', kind: 'report' }), ev({ subject: 'spark1' }), ev({ subject: 'meet' })],
    };
    expect(orderSubjects(log, ['spark1', 'spark2', 'spark3'])).toEqual([
      { name: 'spark1', group: 'node' },
      { name: 'spark2', group: 'node' },
      { name: 'spark3', group: 'node' },
      { name: 'vllm', group: 'service' },
      { name: 'parakeet', group: 'service' },
      { name: 'meet', group: 'service' },
      { name: 'recap', group: 'service' },
    ]);
  });

  it('keeps a node the server lists even when the node names are not loaded yet', () => {
    const log: ConnectivityResponse = { subjects: { spark1: unknown, vllm: unknown }, events: [] };
    expect(orderSubjects(log, []).map((s) => s.name)).toEqual(['spark1', 'vllm']);
  });
});

describe('describeEvent', () => {
  it.each([
    [
      ev({ ok: false, previous_state_s: 7260, error: 'ssh timed out' }),
      'went down',
      'down',
      ['after up for 2 h 1 min', 'ssh timed out'],
    ],
    [ev({ ok: true, previous_state_s: 45 }), 'came up', 'ok', ['after down for 45 s']],
    [ev({ ok: true }), 'came up', 'ok', ['state unknown before']],
    [
      ev({ kind: 'report', ok: false, source: 'open-webui', error: 'timed out', ms: 3000 }),
      'report from open-webui: failed',
      'down',
      ['timed out', '3000 ms'],
    ],
    [
      ev({ kind: 'report', ok: true, source: 'wake', note: 'Magic packet sent from spark2 over SSH' }),
      'report from wake: ok',
      'info',
      ['Magic packet sent from spark2 over SSH'],
    ],
  ])('%#', (e, what, tone, details) => {
    expect(describeEvent(e)).toEqual({ what, tone, details });
  });

  it('formats latency', () => {
    expect([formatMs(0.42), formatMs(12.5), formatMs(3000)]).toEqual(['0.4 ms', '13 ms', '3000 ms']);
  });
});

describe('countEvents', () => {
  it('counts transitions, outages (down transitions) and reports', () => {
    const events = [
      ev({ ok: false }),
      ev({ ok: true }),
      ev({ kind: 'report', ok: false }),
      ev({ ok: false }),
    ];
    expect(countEvents(events)).toEqual({ transitions: 3, outages: 2, reports: 1 });
    expect(countEvents([])).toEqual({ transitions: 0, outages: 0, reports: 0 });
  });
});

describe('the strip', () => {
  const b = (up: number, down: number, unknownShare: number) => ({
    start: '2026-06-20T10:00:00.000Z',
    up,
    down,
    unknown: unknownShare,
  });

  it.each([
    [b(1, 0, 0), 'up'],
    [b(0.99, 0.01, 0), 'down'],
    [b(0, 0.5, 0.5), 'down'],
    [b(0.5, 0, 0.5), 'unknown'],
    [b(0, 0, 1), 'nodata'],
  ] as const)('%o is %s', (bucket, kind) => {
    expect(cellKind(bucket)).toBe(kind);
  });

  it('says the span and each share in the tooltip', () => {
    const now = Date.parse('2026-06-20T12:00:00.000Z');
    const opts = { locale: 'en-GB', timeZone: 'UTC' };
    expect(cellTitle(b(0.6667, 0.3333, 0), 15, now, opts)).toBe('10:00–10:15: up 66.7 %, down 33.3 %');
    expect(cellTitle(b(0, 0, 1), 15, now, opts)).toBe('10:00–10:15: no data');
  });
});
