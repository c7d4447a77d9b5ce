// Pure helpers for the connectivity log dialog: which subjects in which order, what each event
// says in words, and what each cell of the availability strip shows.
import type { AvailabilityBucket, ConnectivityEvent, ConnectivityResponse } from '../../common/api.js';
import { formatDuration, formatWhen, type WhenOptions } from './time.js';

export interface SubjectEntry {
  name: string;
  group: 'node' | 'service';
}

/**
 * Nodes first (in the configured order), then services in the server's order, then anything only
 * reports mention (another app's service: it has reports but no polled state).
 */
export function orderSubjects(log: ConnectivityResponse, nodeNames: string[]): SubjectEntry[] {
  const nodes = new Set(nodeNames);
  const seen = new Set<string>();
  const out: SubjectEntry[] = [];
  const add = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push({ name, group: nodes.has(name) ? 'node' : 'service' });
  };
  for (const n of nodeNames) if (n in log.subjects) add(n);
  for (const n of Object.keys(log.subjects)) if (nodes.has(n)) add(n);
  for (const n of Object.keys(log.subjects)) add(n);
  for (const e of [...log.events].reverse()) add(e.subject);
  return out;
}

export interface SubjectCounts {
  transitions: number;
  outages: number;
  reports: number;
}

export function countEvents(events: ConnectivityEvent[]): SubjectCounts {
  const transitions = events.filter((e) => e.kind === 'transition');
  return {
    transitions: transitions.length,
    outages: transitions.filter((e) => !e.ok).length,
    reports: events.length - transitions.length,
  };
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${Math.round(ms * 10) / 10} ms` : `${Math.round(ms)} ms`;
}

export interface EventText {
  /** "went down", "came up", "report from open-webui: failed". */
  what: string;
  tone: 'ok' | 'down' | 'info';
  /** Extra lines: how long the previous period lasted, the note, the error, the latency. */
  details: string[];
}

export function describeEvent(e: ConnectivityEvent): EventText {
  if (e.kind === 'transition') {
    const lasted =
      e.previous_state_s === null
        ? 'state unknown before'
        : `after ${e.ok ? 'down' : 'up'} for ${formatDuration(e.previous_state_s)}`;
    return {
      what: e.ok ? 'came up' : 'went down',
      tone: e.ok ? 'ok' : 'down',
      details: [lasted, ...(e.error ? [e.error] : [])],
    };
  }
  const details: string[] = [];
  if (e.note) details.push(e.note);
  if (e.error) details.push(e.error);
  if (e.ms !== null) details.push(formatMs(e.ms));
  return {
    what: `report from ${e.source}: ${e.ok ? 'ok' : 'failed'}`,
    tone: e.ok ? 'info' : 'down',
    details,
  };
}

/** `down`: any outage in the bucket; `nodata`: nothing was known all along; `unknown`: partly known. */
export type CellKind = 'up' | 'down' | 'unknown' | 'nodata';

export function cellKind(b: AvailabilityBucket): CellKind {
  if (b.down > 0) return 'down';
  if (b.up === 0) return 'nodata';
  return b.unknown > 0 ? 'unknown' : 'up';
}

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/** The cell's tooltip: "14:00–14:15: up 66.7 %, down 33.3 %", or "…: no data". */
export function cellTitle(b: AvailabilityBucket, bucketMin: number, now: number, opts: WhenOptions = {}) {
  const start = Date.parse(b.start);
  const end = new Date(start + bucketMin * 60_000).toISOString();
  const span = `${formatWhen(b.start, now, opts)}–${formatWhen(end, now, opts)}`;
  const parts = (['up', 'down', 'unknown'] as const).filter((k) => b[k] > 0).map((k) => `${k} ${pct(b[k])}`);
  return `${span}: ${b.up === 0 && b.down === 0 ? 'no data' : parts.join(', ')}`;
}
