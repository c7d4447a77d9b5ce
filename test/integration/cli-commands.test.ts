// Every CLI command in-process (runCli with captured output and an empty environment, never the
// developer's SPARK_* variables) against one real app over the simulated cluster: human output and
// --json, swaps to ready and to failure, a download and a restart with --wait, schedules, logs -f
// ending with the container, events -f ended by Ctrl-C, a 404's message and an unreachable server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConnectivityResponse,
  HardwareSnapshot,
  JobInfo,
  ModelsResponse,
  ScheduleEntry,
  StatusResponse,
  SwapInfo,
  ValidateResponse,
} from '../../src/common/api.js';
import type { ServicesResponse } from '../../src/common/services-api.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/run.js';
import { captureIo } from '../../src/cli/test-io.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { freePort } from '../helpers/server-process.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let c: TestCluster;

/** Starts a command; `io` lets the test read its output while it runs and press Ctrl-C. */
function start(args: string[], o: { isTTY?: boolean; url?: string } = {}) {
  const io = captureIo({ isTTY: o.isTTY, columns: 120 });
  const done = runCli(['--url', o.url ?? c.url, ...args], io, '0.0.0-test').then((code): Run => ({
    code,
    stdout: io.stdout(),
    stderr: io.stderr(),
  }));
  return { io, done };
}
const cli = (args: string[], o: { isTTY?: boolean; url?: string } = {}) => start(args, o).done;
const json = <T>(r: Run): T => JSON.parse(r.stdout) as T;
const post = (path: string, body?: unknown) =>
  getJson(`${c.url}${path}`, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

beforeAll(async () => {
  c = await startTestCluster({
    speed: 0.03,
    timings: { hardwareIntervalMs: 2000, statusIntervalMs: 1000, servicesIntervalMs: 1000 },
  });
  await waitFor(async () => (await getJson<StatusResponse>(`${c.url}/api/status`)).body.vllm.model);
  await waitFor(async () =>
    Object.values((await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body).every((n) => n.ok),
  );
});
afterAll(async () => {
  await c?.close();
});

describe('spark-control commands', () => {
  it('status, hw, models, services and events: a table for people, the raw answer with --json', async () => {
    const [status, hw, hwJson, models, modelsJson, services, servicesJson, events, eventsJson] =
      await Promise.all([
        cli(['status']),
        cli(['hw']),
        cli(['hw', '--json']),
        cli(['models']),
        cli(['models', '--json']),
        cli(['services']),
        cli(['services', '--json']),
        cli(['events', '--limit', '5']),
        cli(['events', '--json']),
      ]);
    for (const r of [status, hw, hwJson, models, modelsJson, services, servicesJson, events, eventsJson])
      expect(r!.code, r!.stderr).toBe(0);
    expect(status!.stdout).toMatch(/^vLLM\s+loaded\s+\S+/m);

    const snapshot = json<HardwareSnapshot>(hwJson!);
    expect(Object.keys(snapshot).sort()).toEqual(['spark1', 'spark2']);
    const hwLines = hw!.stdout.trim().split('\n');
    expect(hwLines[0]).toMatch(/^NODE\s+STATE\s+GPU\s+TEMP\s+POWER\s+GPU MEM\s+RAM\s+LOAD\s+DISK FREE\s+UP$/);
    expect(hwLines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['spark1', 'up'],
      ['spark2', 'up'],
    ]);
    expect(hwLines[1]).toMatch(/\d+%\s+\d+C\s+\d+W\s/);

    const catalog = json<ModelsResponse & { disk_status: { models: { key: string }[] } }>(modelsJson!);
    const loaded = catalog.models.find((m) => m.loaded)!;
    expect(catalog.loaded_key).toBe(loaded.key);
    expect(catalog.disk_status.models.map((m) => m.key).sort()).toEqual(
      catalog.models.map((m) => m.key).sort(),
    );
    const loadedRow = models!.stdout.split('\n').find((l) => l.startsWith('*'));
    expect(loadedRow).toMatch(
      new RegExp(`^\\*\\s+${loaded.key.replace(/\./g, '\\.')}\\s+(solo|cluster)\\s+[\\d.]+ GB\\s+spark1`),
    );
    expect(models!.stdout).toContain(`* loaded: ${loaded.served_model_name}`);

    const list = json<ServicesResponse>(servicesJson!).services;
    expect(list.map((s) => s.name)).toEqual(expect.arrayContaining(['parakeet', 'magpie']));
    expect(services!.stdout).toMatch(/^NAME\s+KIND\s+NODE\s+CONTAINER\s+DOCKER\s+HEALTH/m);
    expect(services!.stdout).toMatch(/^magpie\s+tts\s+spark2\s+\S+\s+running\s+healthy/m);

    expect(json<ConnectivityResponse>(eventsJson!).subjects).toHaveProperty('spark1');
    expect(events!.stdout).toMatch(/^SUBJECT\s+STATE\s+SINCE$/m);
    expect(events!.stdout).toMatch(/^spark1\s+up\s/m);
  });

  it('swap --wait on a terminal draws a bar to ready; validate ok and not ok; a failing swap exits 1', async () => {
    const catalog = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.models;
    const target = catalog.find((m) => m.mode === 'solo' && !m.loaded && m.warnings.length === 0)!;
    const ok = await cli(['validate', target.key]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: the arguments pass \(stage done\)\nlaunch: .*vllm serve/);

    const swap = await cli(['swap', target.key, '--wait'], { isTTY: true });
    expect(swap.code, swap.stderr).toBe(0);
    expect(swap.stdout).toMatch(/^Swap swap_\S+ started\n/);
    expect(swap.stdout).toContain('\r\u001b[2K');
    // The last redraw of the one progress line: ready, a full bar, then a newline.
    const lastDraw = swap.stdout.split('\r\u001b[2K').at(-1)!;
    expect(lastDraw).toMatch(/^ready\s+\[#{20}\]\s+100%\s+\S+\/\S+\s+.*\n$/);
    expect((await getJson<StatusResponse>(`${c.url}/api/status`)).body.vllm.model).toBe(
      target.served_model_name,
    );

    // vLLM's own parser refuses this flag: validate says so, and so does the swap (exit 1).
    const add = await post('/api/models', {
      key: 'cli-bad-flag',
      display_name: 'Bad flag',
      repo: target.repo,
      size_gb: target.size_gb,
      mode: 'solo',
      vllm_args: ['--temperature', '0.8'],
    });
    expect(add.status).toBe(201);
    const bad = await cli(['validate', 'cli-bad-flag', '--json']);
    expect(bad.code).toBe(EXIT.FAILED);
    expect(json<ValidateResponse>(bad)).toMatchObject({ ok: false, stage: 'argparse' });
    expect(bad.stderr).toMatch(/cli-bad-flag does not validate: .*unrecognized arguments: --temperature/);

    const failed = await cli(['swap', 'cli-bad-flag', '--wait', '--json']);
    expect(failed.code).toBe(EXIT.FAILED);
    const final = json<SwapInfo>(failed);
    expect(final).toMatchObject({ state: 'failed', key: 'cli-bad-flag' });
    expect(failed.stderr).toMatch(
      new RegExp(`Swap ${final.id} failed: .*unrecognized arguments: --temperature`),
    );

    // A swap cancelled while --wait follows it exits 8; meanwhile another is refused (409 → 5).
    const waiting = start(['swap', target.key, '--wait']);
    const id = await waitFor(() => /^Swap (\S+) started/.exec(waiting.io.stdout())?.[1], 30_000, 20);
    await waitFor(
      async () => (await getJson<SwapInfo>(`${c.url}/api/swap/${id}`)).body.state === 'loading',
      60_000,
      50,
    );
    const refused = await cli(['swap', target.key, '--json']);
    expect(refused.code).toBe(EXIT.REFUSED);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^spark-control: .*swap.*\n$/i);
    expect((await getJson(`${c.url}/api/swap/${id}`, { method: 'DELETE' })).status).toBe(200);
    const cancelled = await waiting.done;
    expect(cancelled.code).toBe(EXIT.CANCELLED);
    expect(cancelled.stderr).toBe(`spark-control: Swap ${id} was cancelled\n`);

    // Without --wait, --json answers the id to follow.
    const quick = await cli(['swap', target.key, '--json']);
    expect(quick.code, quick.stderr).toBe(0);
    const next = json<{ id: string }>(quick).id;
    expect((await getJson<SwapInfo>(`${c.url}/api/swap/${next}`)).body.key).toBe(target.key);
    await getJson(`${c.url}/api/swap/${next}`, { method: 'DELETE' });
  });

  it('schedules add / list / rm, and removing one that is gone prints the server’s 404 (exit 6)', async () => {
    const added = await cli([
      'schedules',
      'add',
      '--name',
      'nightly-eval',
      '--schedule',
      '0 2 * * *',
      '--model',
      'qwen3-30b-a3b',
      '--owner',
      'cron',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const id = /^Schedule (\S+) registered: nightly-eval \(0 2 \* \* \*\)$/.exec(added.stdout.trim())![1]!;
    const [list, listJson] = await Promise.all([
      cli(['schedules', 'list']),
      cli(['schedules', 'list', '--json']),
    ]);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+SCHEDULE\s+MODEL\s+OWNER\s+NEXT RUN$/m);
    expect(list.stdout).toMatch(
      new RegExp(`^${id}\\s+nightly-eval\\s+0 2 \\* \\* \\*\\s+qwen3-30b-a3b\\s+cron\\s+-$`, 'm'),
    );
    expect(json<{ schedules: ScheduleEntry[] }>(listJson).schedules).toEqual([
      expect.objectContaining({ id, name: 'nightly-eval', model_key: 'qwen3-30b-a3b', owner: 'cron' }),
    ]);
    const rm = await cli(['schedules', 'rm', id, '--json']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(json(rm)).toEqual({ ok: true, id });
    const again = await cli(['schedules', 'rm', id]);
    expect(again.code).toBe(EXIT.REJECTED);
    expect(again.stderr).toBe(`spark-control: No schedule entry with id "${id}".\n`);
    expect(again.stdout).toBe('');
  });

  it('download --wait follows a download to success (--json: the final job) and a repo the Hub lacks to failure', async () => {
    const ok = await cli(['download', 'acme/Cli-Tiny-0.1B', '--nodes', 'spark2', '--wait', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const job = json<JobInfo>(ok);
    expect(job).toMatchObject({ kind: 'download', state: 'succeeded', progress: 1 });
    expect(Object.keys((job.meta as { nodes: object }).nodes)).toEqual(['spark2']);

    const missing = await cli(['download', 'acme/no-such-model', '--nodes', 'spark2', '--wait']);
    expect(missing.code).toBe(EXIT.FAILED);
    expect(missing.stdout).toMatch(/^Download job \S+ started\n/);
    expect(missing.stdout).toMatch(/\] failed.*\n/);
    expect(missing.stderr).toMatch(/^spark-control: Job \S+ failed: /);
  });

  it('restart --wait restarts the container; an unknown service is the server’s 404 (exit 6)', async () => {
    const [restart, unknown] = await Promise.all([
      cli(['restart', 'magpie', '--wait']),
      cli(['restart', 'whisper']),
    ]);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stdout).toMatch(/^Restart job (\S+) started\n(.*\n)*Job \1 succeeded\n$/);
    expect(unknown.code).toBe(EXIT.REJECTED);
    expect(unknown.stderr).toMatch(/^spark-control: .*whisper/);
    const quick = await cli(['restart', 'magpie', '--json']);
    expect(quick.code, quick.stderr).toBe(0);
    const { job_id } = json<{ job_id: string }>(quick);
    await waitFor(
      async () => (await getJson<JobInfo>(`${c.url}/api/jobs/${job_id}`)).body.state === 'succeeded',
    );
  });

  it('logs prints the recent lines; logs -f of a container that stops ends with the stream (exit 0)', async () => {
    const [recent, two] = await Promise.all([
      cli(['logs', 'magpie']),
      cli(['logs', 'magpie', '--tail', '2', '--json']),
    ]);
    expect(recent.code, recent.stderr).toBe(0);
    expect(recent.stdout).toContain('Uvicorn running on http://0.0.0.0:9000');
    expect(json(two)).toMatchObject({
      service: 'magpie',
      node: 'spark2',
      lines: [expect.any(String), expect.any(String)],
    });
    expect((await getJson(`${c.url}/api/services/magpie/logs?tail=0`)).status).toBe(400);

    const stop = await post('/api/services/magpie/stop');
    const stopId = (stop.body as { job_id: string }).job_id;
    await waitFor(
      async () => (await getJson<JobInfo>(`${c.url}/api/jobs/${stopId}`)).body.state !== 'running',
    );
    const followed = await cli(['logs', 'magpie', '-f', '--json']);
    expect(followed.code, followed.stderr).toBe(0);
    const lines = followed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: string });
    expect(lines.some((l) => l.line.includes('Uvicorn running on http://0.0.0.0:9000'))).toBe(true);
    await post('/api/services/magpie/start');
  });

  it('events -f prints live events until Ctrl-C (exit 0)', async () => {
    const run = start(['events', '-f']);
    const marker = `cli-probe-${Date.now()}`;
    // The stream may open after the first report: report until one shows up.
    await waitFor(
      async () => {
        await post('/api/health-event', { service: 'magpie', ok: false, source: 'cli-test', error: marker });
        return run.io.stdout().includes(marker);
      },
      20_000,
      200,
    );
    run.io.interrupt();
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^\\S+ magpie report failed \\(cli-test\\) ${marker}$`, 'm'));
  });

  it('a 5xx is exit 7 with the server’s message: the logs of a service whose node is down', async () => {
    await c.sim.faults.nodeDown('spark2');
    try {
      await waitFor(
        async () => !(await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body.spark2?.ok,
        20_000,
      );
      const r = await cli(['logs', 'magpie']);
      expect(r.code).toBe(EXIT.SERVER_ERROR);
      expect(r.stderr).toMatch(/^spark-control: Cannot read magpie's logs: spark2: .+\n$/);
    } finally {
      await c.sim.faults.nodeUp('spark2');
    }
  });

  it('an unreachable server: one line naming it, exit 3, no stack trace', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const [status, logs] = await Promise.all([
      cli(['status'], { url }),
      cli(['logs', 'magpie', '-f'], { url }),
    ]);
    for (const r of [status, logs]) {
      expect(r.code).toBe(EXIT.UNREACHABLE);
      expect(r.stderr).toBe(`spark-control: Cannot reach ${url}: ECONNREFUSED\n`);
      expect(r.stdout).toBe('');
    }
  });
});
