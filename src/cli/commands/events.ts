// `spark-control events [-f]`: the connectivity log (GET /api/connectivity: each node's and
// service's state and the recent transitions and reports), or with -f the live event stream
// (GET /api/events) as one line per event worth reading, until Ctrl-C or the server stops.
import { type Command, InvalidArgumentError } from 'commander';
import type { ConnectivityEvent, ConnectivityResponse, EventEnvelope } from '../../common/api.js';
import { contextOf, print } from '../context.js';
import { cleanCell, table } from '../format/table.js';
import { duration } from '../format/units.js';
import type { CliIo } from '../io.js';
import { readStream } from './stream.js';

export function eventLine(e: ConnectivityEvent): string {
  const what = e.kind === 'transition' ? (e.ok ? 'up' : 'down') : e.ok ? 'report ok' : 'report failed';
  const parts = [e.ts, e.subject, what, `(${e.source})`];
  if (e.ms !== null) parts.push(`${e.ms}ms`);
  if (e.error) parts.push(e.error);
  if (e.previous_state_s !== null)
    parts.push(`after ${duration(e.previous_state_s)} ${e.ok ? 'down' : 'up'}`);
  return cleanCell(parts.join(' '));
}

export function formatConnectivity(r: ConnectivityResponse, limit: number): string[] {
  const subjects = Object.entries(r.subjects);
  const lines = subjects.length
    ? table(
        ['SUBJECT', 'STATE', 'SINCE'],
        subjects.map(([name, s]) => [name, s.state, s.since_s === null ? null : duration(s.since_s)]),
      )
    : ['No subjects yet.'];
  // The answer is newest first; a log reads oldest first, ending with the latest.
  const recent = r.events.slice(0, limit).reverse();
  lines.push('', recent.length ? `Last ${recent.length} events:` : 'No events yet.');
  return [...lines, ...recent.map(eventLine)];
}

/** One line for the live stream; null for the periodic snapshots (hardware, status, services). */
export function describeEnvelope(e: EventEnvelope): string | null {
  switch (e.type) {
    case 'connectivity':
      return eventLine(e.data);
    case 'node_state':
      return `${e.ts} node ${e.data.node} ${e.data.ok ? 'up' : `down: ${e.data.error ?? ''}`}`;
    case 'swap_complete':
    case 'swap_failed':
      return `${e.ts} ${e.type} ${e.data.key} (${e.data.id})${e.data.error ? `: ${e.data.error}` : ''}`;
    case 'lock':
      return `${e.ts} lock ${e.data.lock ? `held by ${e.data.lock.holder} until ${e.data.lock.expires_at}` : 'free'}`;
    case 'job':
      return e.data.state === 'running' ? null : `${e.ts} job ${e.data.kind} ${e.data.id} ${e.data.state}`;
    case 'deep_health':
      return e.data.outcome === 'failed'
        ? `${e.ts} deep check ${e.data.service} failed: ${e.data.error ?? ''}`
        : null;
    case 'server_shutdown':
      return `${e.ts} server stopping: ${e.data.reason}`;
    default:
      return null;
  }
}

export function parseLimit(value: string): number {
  if (!/^[0-9]{1,4}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be 1-9999');
  return Number(value);
}

export function registerEvents(program: Command, io: CliIo): void {
  program
    .command('events')
    .description('the connectivity log (states, recent transitions and reports); -f follows live events')
    .option('-f, --follow', 'print live events until Ctrl-C (--json: one envelope per line)')
    .option('--limit <n>', 'how many recent events to show', parseLimit, 20)
    .action(async (opts: { follow?: boolean; limit: number }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      if (!opts.follow) {
        const r = await ctx.client.request<ConnectivityResponse>('GET', '/api/connectivity');
        return print(ctx, r, () => formatConnectivity(r, opts.limit));
      }
      await readStream(ctx, '/api/events', (m) => {
        let e: EventEnvelope;
        try {
          e = JSON.parse(m.data) as EventEnvelope;
        } catch {
          return 'more';
        }
        const line = ctx.json ? JSON.stringify(e) : describeEnvelope(e);
        if (line !== null) ctx.out(line);
        return e.type === 'server_shutdown' ? 'done' : 'more';
      });
    });
}
