// One SSH exec per node reads every service container's state: `docker inspect` with a format that
// prints one line per container (`/<name> <RestartCount> <State as JSON>`); containers that do not
// exist are named on stderr (`Error: No such object: x`, or `No such container` on older CLIs).
// The parser is pure so the table tests cover real docker's and the simulator's output alike.
import type { DockerState } from '../../../common/services-api.js';
import { sh, type ShellCommand } from '../../platform/remote/sh.js';
import { validateContainerName } from '../../platform/remote/validators.js';

export interface ContainerState {
  state: DockerState;
  restart_count: number | null;
  started_at: string | null;
  /** Why the state is unknown, null otherwise. */
  error: string | null;
}

export const INSPECT_FORMAT = '{{.Name}} {{.RestartCount}} {{json .State}}';

export function inspectCommand(containers: string[]): ShellCommand {
  return sh`docker inspect --format ${INSPECT_FORMAT} ${containers.map((c) => validateContainerName(c))}`;
}

/** docker's zero time means "never". */
const ZERO_TIME = /^0001-01-01T/;

export function dockerStateOf(state: {
  Status?: unknown;
  Paused?: unknown;
  Restarting?: unknown;
}): DockerState {
  if (state.Paused === true) return 'paused';
  if (state.Restarting === true) return 'restarting';
  switch (state.Status) {
    case 'running':
    case 'restarting':
    case 'paused':
    case 'exited':
      return state.Status;
    // Created but never started, dead, being removed: not running, and start is what helps.
    case 'created':
    case 'dead':
    case 'removing':
      return 'exited';
    default:
      return 'unknown';
  }
}

function parseLine(line: string): [string, ContainerState] | null {
  const m = /^\/?([A-Za-z0-9][A-Za-z0-9_.-]*) (\d+) (\{.*\})\s*$/.exec(line);
  if (!m) return null;
  const [, name, count, json] = m as unknown as [string, string, string, string];
  let st: Record<string, unknown>;
  try {
    st = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
  const started = typeof st.StartedAt === 'string' && !ZERO_TIME.test(st.StartedAt) ? st.StartedAt : null;
  const state = dockerStateOf(st);
  return [
    name,
    {
      state,
      restart_count: Number(count),
      started_at: started,
      error: state === 'unknown' ? `docker reported an unexpected state ${JSON.stringify(st.Status)}` : null,
    },
  ];
}

/**
 * Every asked-for container's state from one `inspect` run. A container docker says does not exist
 * is `missing`; one absent from the answer for any other reason (docker not running, a timeout
 * cut the output short) is `unknown` with docker's own words, never a guess.
 */
export function parseInspect(
  containers: string[],
  out: { code: number | null; stdout: string; stderr: string },
): Map<string, ContainerState> {
  const found = new Map<string, ContainerState>();
  for (const line of out.stdout.split('\n')) {
    const hit = parseLine(line.trim());
    if (hit) found.set(hit[0], hit[1]);
  }
  const missing = new Set<string>();
  for (const m of out.stderr.matchAll(/No such (?:object|container):\s*(\S+)/gi)) missing.add(m[1] ?? '');
  const firstError =
    out.stderr
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !/No such (?:object|container)/i.test(l)) ?? null;
  const result = new Map<string, ContainerState>();
  for (const c of containers) {
    const hit = found.get(c);
    if (hit) result.set(c, hit);
    else if (missing.has(c))
      result.set(c, { state: 'missing', restart_count: null, started_at: null, error: null });
    else
      result.set(c, {
        state: 'unknown',
        restart_count: null,
        started_at: null,
        error: firstError ?? `docker inspect gave no answer for ${c} (exit ${out.code ?? 'killed'})`,
      });
  }
  return result;
}
