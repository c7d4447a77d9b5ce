// One node's part of a download job: runs the CLI over SSH, turns its bars into bytes/total, rate
// and ETA, and ends in `succeeded`, `failed` (with the CLI's own last error line, plus the free
// space when the disk filled up) or `cancelled`. A control-plane shutdown leaves the part
// `running`: the job then shows `interrupted` after the restart, and a retry resumes the
// `.incomplete` blobs the CLI left.
import type { DownloadNodeProgress } from '../../../common/downloads-api.js';
import { isAppError } from '../../platform/http/errors.js';
import { JobShutdown } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { CLI_MARKER, downloadCommand, freeSpaceCommand } from './commands.js';
import { RateMeter, RepoProgress } from './progress.js';

export interface NodePartDeps {
  transport: NodeTransport;
  now: () => number;
  /** Logs a line to the job (already prefixed with the node; the token is redacted by the caller). */
  log(line: string): void;
  /** Called on every change; the caller throttles what it persists. */
  update(p: DownloadNodeProgress, important: boolean): void;
}

const GB = 1e9;
const fmtGb = (n: number): string => `${(n / GB).toFixed(2)} GB`;

export const initialProgress = (node: string): DownloadNodeProgress => ({
  node,
  state: 'pending',
  bytes: 0,
  total: null,
  rate_bps: null,
  eta_s: null,
  error: null,
  cli: null,
});

/** The CLI's most telling error line: an exception line, else the last non-bar line. */
export function errorLine(lines: string[]): string | null {
  const clean = lines.map((l) => l.trim()).filter(Boolean);
  const exc = [...clean]
    .reverse()
    .find((l) => /^[A-Za-z_.]+(Error|Exception)\b.*:/.test(l) || /^Repository Not Found/.test(l));
  return (exc ?? clean.at(-1) ?? null)?.slice(0, 400) ?? null;
}

export async function runNodePart(
  node: string,
  repo: string,
  token: string | null,
  signal: AbortSignal,
  d: NodePartDeps,
): Promise<DownloadNodeProgress> {
  const p = initialProgress(node);
  const progress = new RepoProgress();
  const meter = new RateMeter();
  const others: string[] = [];
  let loggedDecile = -1;
  let loggedTotal: number | null = null;
  const set = (patch: Partial<DownloadNodeProgress>, important = false): void => {
    Object.assign(p, patch);
    d.update({ ...p }, important);
  };
  set({ state: 'running' }, true);
  d.log(`[${node}] downloading ${repo}`);
  try {
    const r = await d.transport.stream(
      node,
      downloadCommand(repo),
      (line) => {
        if (line.startsWith(CLI_MARKER)) {
          const cli = line.slice(CLI_MARKER.length).trim() === 'huggingface-cli' ? 'huggingface-cli' : 'hf';
          set({ cli }, true);
          d.log(`[${node}] using ${cli}${cli === 'hf' ? '' : ' (hf is not installed there)'}`);
          return;
        }
        const parsed = progress.feed(line);
        if (parsed.kind === 'other') {
          if (parsed.text) {
            others.push(parsed.text);
            if (others.length > 50) others.shift();
            d.log(`[${node}] ${parsed.text}`);
          }
          return;
        }
        if (parsed.kind !== 'file') return;
        const bytes = progress.bytes();
        const total = progress.total();
        meter.add(d.now(), bytes);
        set({ bytes, total, rate_bps: meter.rate(), eta_s: meter.eta(total) });
        // a line per 10 %, and whenever the total grows (the CLI starts another file's bar)
        const decile = total ? Math.floor((bytes / total) * 10) : -1;
        if (total && (decile > loggedDecile || total !== loggedTotal)) {
          loggedDecile = decile;
          loggedTotal = total;
          d.log(`[${node}] ${fmtGb(bytes)} of ${fmtGb(total)} (${decile * 10}%)`);
        }
      },
      { signal, stdin: `${token ?? ''}\n` },
    );
    if (r.code === 0) {
      const total = progress.total();
      set({ state: 'succeeded', bytes: total ?? p.bytes, total: total ?? p.total, eta_s: 0 }, true);
      d.log(`[${node}] done: ${repo} is in the HF cache`);
      return p;
    }
    let error = errorLine(others) ?? `the download exited with status ${r.code ?? 'unknown'}`;
    if (r.code === 127 && !/not installed/.test(error)) error = `hf is not installed on ${node}: ${error}`;
    if (/No space left on device/i.test(error)) error += await freeSpace(node, d.transport);
    set({ state: 'failed', error, rate_bps: null, eta_s: null }, true);
    d.log(`[${node}] failed: ${error}`);
    return p;
  } catch (err) {
    if (signal.aborted && signal.reason instanceof JobShutdown) throw err;
    if (signal.aborted) {
      set({ state: 'cancelled', rate_bps: null, eta_s: null }, true);
      d.log(`[${node}] cancelled (the partial files stay as .incomplete and a retry resumes them)`);
      return p;
    }
    const error = isAppError(err) ? err.message : 'the download could not run';
    set({ state: 'failed', error, rate_bps: null, eta_s: null }, true);
    d.log(`[${node}] failed: ${error}`);
    return p;
  }
}

async function freeSpace(node: string, transport: NodeTransport): Promise<string> {
  try {
    const r = await transport.exec(node, freeSpaceCommand(), { timeoutMs: 6000 });
    const free = Number(r.stdout.trim());
    if (r.code !== 0 || !Number.isFinite(free)) return '';
    return ` — ${fmtGb(free)} free on the HF cache's disk of ${node}; the partial files stay marked .incomplete (delete them to free the space)`;
  } catch {
    return '';
  }
}
