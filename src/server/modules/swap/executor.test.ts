// The executor inside the real job runner, against a scripted transport (the outermost seam): a
// step that throws, cancel in each phase with exactly one stop, and an engine that dies.
import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../common/api.js';
import { JobRunner } from '../../platform/jobs/runner.js';
import type { ShellCommand } from '../../platform/remote/sh.js';
import type { ExecResult, NodeTransport } from '../../platform/remote/transport.js';
import { closeTempStores, trackedTempDb } from '../../../../test/helpers/unit.js';
import { SwapExecutor } from './executor.js';
import { SwapStore, type SwapRow } from './store.js';

afterEach(closeTempStores);

type Handler = (cmd: string, signal?: AbortSignal) => Promise<ExecResult> | ExecResult;
const ok = (stdout = ''): ExecResult => ({ code: 0, stdout, stderr: '' });

/** Answers each command by the first rule whose pattern matches its text; records every command. */
function scripted(rules: [RegExp, Handler][]) {
  const ran: string[] = [];
  const answer = async (cmd: ShellCommand, signal?: AbortSignal) => {
    ran.push(cmd.text);
    const rule = rules.find(([re]) => re.test(cmd.text));
    if (!rule) throw new Error(`unscripted command: ${cmd.text}`);
    return rule[1](cmd.text, signal);
  };
  const transport = {
    exec: (_n: string, cmd: ShellCommand, o?: { signal?: AbortSignal }) => answer(cmd, o?.signal),
    stream: (_n: string, cmd: ShellCommand, _l: unknown, o?: { signal?: AbortSignal }) =>
      answer(cmd, o?.signal),
    state: () => ({ state: 'connected' }),
  } as unknown as NodeTransport;
  return { transport, ran, stops: () => ran.filter((c) => /launch-cluster\.sh stop/.test(c)).length };
}

const gate = () => {
  let open!: () => void;
  return { promise: new Promise<void>((r) => (open = r)), open: () => open() };
};
const untilAborted = (signal?: AbortSignal) =>
  new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));

function swapRow(): SwapRow {
  const id = `swap_t${Math.random().toString(36).slice(2, 10)}`;
  return {
    id,
    key: 'm',
    display_name: 'M',
    model: 'org/m',
    mode: 'solo',
    nodes: ['spark1'],
    snapshot: {
      key: 'm',
      display_name: 'M',
      repo: 'org/m',
      path: null,
      served_model_name: 'org/m',
      size_gb: 1,
      mode: 'solo',
      capabilities: [],
      effective_args: [],
      effective_knobs: {} as SwapRow['snapshot']['effective_knobs'],
      expected_ready_seconds: 10,
    },
    state: 'pending',
    phase: 'Waiting to start',
    holder: null,
    error: null,
    previous_model: null,
    launch_cmd: '',
    log_since: null,
    started_at: Date.now(),
    finished_at: null,
    timings: {},
    expected_s: 10,
  };
}

function startSwap(transport: NodeTransport) {
  const db = trackedTempDb('sc-swap-exec-');
  const runner = new JobRunner({ db });
  const store = new SwapStore(db);
  const row = swapRow();
  store.insert(row);
  const states: string[] = [];
  const handle = runner.start({
    id: row.id,
    kind: 'swap',
    locks: ['gpu', 'node:spark1'],
    run: (ctx) =>
      new SwapExecutor(
        row,
        {
          transport,
          store,
          target: {
            nodes: [{ name: 'spark1' } as never],
            port: 8000,
            container: 'vllm_node',
            launcherDir: '/opt/l',
          },
          // Nothing listens here: readiness never comes, so only the engine watch can end a load.
          vllmBaseUrl: 'http://127.0.0.1:9/v1',
          publish: (r) => states.push(r.state),
          notify: () => undefined,
          loadTimeoutS: () => 600,
          livenessMs: 20,
        },
        ctx,
      ).run(),
  });
  const lockFree = () => runner.holder('gpu') === null && runner.holder('node:spark1') === null;
  return { runner, store, row, handle, states, lockFree };
}

describe('SwapExecutor', () => {
  it('turns an unexpected throw in a step into failed, and the job ends failed with the locks free', async () => {
    const t = scripted([
      [/^true$/, () => ok()],
      [/launch-cluster\.sh stop/, () => Promise.reject(new TypeError('Cannot read properties of undefined'))],
    ]);
    const s = startSwap(t.transport);
    const done: JobInfo = await s.handle.done;
    expect(done.state).toBe('failed');
    expect(s.store.get(s.row.id)).toMatchObject({ state: 'failed' });
    expect(s.store.get(s.row.id)?.error).toMatch(/Cannot read properties of undefined/);
    expect(s.lockFree()).toBe(true);
  });

  it('cancel in pending interrupts the head probe and stops nothing', async () => {
    const t = scripted([[/^true$/, (_c, signal) => untilAborted(signal)]]);
    const s = startSwap(t.transport);
    await new Promise((r) => setTimeout(r, 10));
    s.runner.cancel(s.row.id);
    expect((await s.handle.done).state).toBe('cancelled');
    expect(s.store.get(s.row.id)?.state).toBe('cancelled');
    expect(t.stops()).toBe(0);
    expect(s.lockFree()).toBe(true);
  });

  it('cancel while stopping waits for that stop (no second one), then ends cancelled with the locks free', async () => {
    const stop = gate();
    const t = scripted([
      [/^true$/, () => ok()],
      [/launch-cluster\.sh stop/, () => stop.promise.then(() => ok())],
    ]);
    const s = startSwap(t.transport);
    await new Promise((r) => setTimeout(r, 10));
    s.runner.cancel(s.row.id);
    await new Promise((r) => setTimeout(r, 10));
    // Not cancelled while the stop still runs: the locks are still held.
    expect(s.store.get(s.row.id)).toMatchObject({ state: 'stopping', phase: 'Stopping the switch…' });
    expect(s.lockFree()).toBe(false);
    stop.open();
    expect((await s.handle.done).state).toBe('cancelled');
    expect(s.store.get(s.row.id)?.state).toBe('cancelled');
    expect(t.stops()).toBe(1);
    expect(s.lockFree()).toBe(true);
  });

  it('cancel while launching aborts the launch stream, then stops once; a failing stop is recorded', async () => {
    let launchAborted = false;
    const t = scripted([
      [/^true$/, () => ok()],
      [
        /launch-cluster\.sh stop/,
        () => (t.stops() === 1 ? ok() : { code: 1, stdout: '', stderr: 'docker: daemon gone' }),
      ],
      [/exec vllm serve/, (_c, signal) => untilAborted(signal).finally(() => (launchAborted = true))],
    ]);
    const s = startSwap(t.transport);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.store.get(s.row.id)?.state).toBe('launching');
    s.runner.cancel(s.row.id);
    expect((await s.handle.done).state).toBe('cancelled');
    expect(launchAborted).toBe(true);
    expect(t.stops()).toBe(2); // the swap's own stop before launching, and the cancel's one
    expect(s.store.get(s.row.id)?.error).toMatch(/Cancelled by request, but stopping failed: .*daemon gone/);
    expect(s.lockFree()).toBe(true);
  });

  it('fails a load whose engine process is gone, with the engine’s last error line', async () => {
    const t = scripted([
      [/^true$/, () => ok()],
      [/launch-cluster\.sh stop/, () => ok()],
      [/exec vllm serve/, () => ok('1700000000\nCommand dispatched')],
      [/docker logs -f/, (_c, signal) => untilAborted(signal)],
      [/docker top/, () => ok('PID                 COMMAND\n4242                sleep infinity\n')],
      [
        /docker logs --tail/,
        () =>
          ok(
            '(APIServer pid=1) INFO 10-01 12:00:00 [a.py:1] loading\nOSError: disk on fire\n  weird trailer\n',
          ),
      ],
    ]);
    const s = startSwap(t.transport);
    const done = await s.handle.done;
    expect(done.state).toBe('failed');
    expect(s.store.get(s.row.id)?.error).toBe(
      'vLLM exited while the model was loading (no vllm serve process in vllm_node): OSError: disk on fire',
    );
    expect(s.lockFree()).toBe(true);
  });
});
