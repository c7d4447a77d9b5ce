// The redaction gateway's HTTP side over the real server: /scrub, /rehydrate, the task routes, the
// vault on disk (encrypted values, key file mode, survival across a restart), retention and the
// purge, limits and cross-origin calls.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedactionTaskView, ScrubResponse } from '../../src/common/redaction-api.js';
import { startTestCluster, type TestCluster } from '../helpers/harness.js';

const EMAIL = 'dana.reyes@example.org';

describe('redaction vault and routes', () => {
  let c: TestCluster;
  let dir: string;
  let clock = Date.now();
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${c.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const scrub = async (body: unknown) => {
    const res = await post('/scrub', body);
    expect(res.status).toBe(200);
    return (await res.json()) as ScrubResponse;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sc-redact-'));
    const config = join(dir, 'config.yaml');
    writeFileSync(join(dir, 'names.txt'), '# people\nMarguerite Okafor\n');
    writeFileSync(
      config,
      JSON.stringify({
        redaction: {
          retention_hours: 1,
          max_text_kb: 4,
          names_file: 'names.txt',
          patterns: [{ name: 'EMPLOYEE_ID', regex: 'EMP-[0-9]{6}' }],
        },
      }),
    );
    c = await startTestCluster({
      env: { CONFIG_FILE: config },
      timings: { redaction: { now: () => clock, purgeIntervalMs: 50 } },
    });
  });
  afterAll(async () => {
    await c?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scrubs, keeps one placeholder per value within a task, and never answers a value', async () => {
    const first = await scrub({ text: `Mail ${EMAIL} about EMP-123456.` });
    expect(first.task_id).toMatch(/^red_[0-9a-f]{16}$/);
    expect(first.text).toBe('Mail [EMAIL_1] about [EMPLOYEE_ID_1].');
    expect(first.entities_found).toEqual(
      expect.arrayContaining([
        { type: 'EMAIL', placeholder: '[EMAIL_1]', count: 1 },
        { type: 'EMPLOYEE_ID', placeholder: '[EMPLOYEE_ID_1]', count: 1 },
      ]),
    );
    const again = await scrub({ text: `cc: other@example.net, ${EMAIL}`, task_id: first.task_id });
    expect(again.text).toBe('cc: [EMAIL_2], [EMAIL_1]');

    const view = await fetch(`${c.url}/api/redaction/tasks/${first.task_id}`);
    expect(view.status).toBe(200);
    const text = await view.text();
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain('EMP-123456');
    const task = JSON.parse(text) as RedactionTaskView;
    expect(task.placeholders).toEqual([
      { placeholder: '[EMAIL_1]', type: 'EMAIL' },
      { placeholder: '[EMPLOYEE_ID_1]', type: 'EMPLOYEE_ID' },
      { placeholder: '[EMAIL_2]', type: 'EMAIL' },
    ]);

    const back = await post('/rehydrate', {
      text: 'Reply to [EMAIL_1] and [EMAIL_9].',
      task_id: first.task_id,
    });
    expect(await back.json()).toEqual({ text: `Reply to ${EMAIL} and [EMAIL_9].`, task_id: first.task_id });
  });

  it('uses the caller’s task id, and an entities filter', async () => {
    const r = await scrub({
      text: `${EMAIL} EMP-000001`,
      task_id: 'crm:ticket-42',
      entities: ['EMPLOYEE_ID'],
    });
    expect(r).toMatchObject({ task_id: 'crm:ticket-42', text: `${EMAIL} [EMPLOYEE_ID_1]` });
    const bad = await post('/scrub', { text: 'x', entities: ['NOPE'] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('NOPE');
  });

  it('gives every value its own placeholder when scrubs of one task race', async () => {
    const id = 'race-task';
    const emails = Array.from({ length: 16 }, (_, i) => `racer${i}@example.com`);
    const results = await Promise.all(emails.map((e) => scrub({ text: e, task_id: id })));
    const placeholders = results.map((r) => r.text);
    expect(new Set(placeholders).size).toBe(emails.length);
    const back = await Promise.all(
      results.map(
        async (r) =>
          ((await (await post('/rehydrate', { text: r.text, task_id: id })).json()) as { text: string }).text,
      ),
    );
    expect(back).toEqual(emails);
  });

  it('answers 404 for an unknown task, 400 for a hostile id, 413 over the text limit', async () => {
    const unknown = await post('/rehydrate', { text: '[EMAIL_1]', task_id: 'red_0000000000000000' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await fetch(`${c.url}/api/redaction/tasks/nope-1`)).status).toBe(404);
    expect((await fetch(`${c.url}/api/redaction/tasks/nope-1`, { method: 'DELETE' })).status).toBe(404);
    const hostile = await post('/scrub', { text: 'x', task_id: '../../etc' });
    expect(hostile.status).toBe(400);
    const big = await post('/scrub', { text: 'a'.repeat(5 * 1024) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toContain(
      'redaction.max_text_kb',
    );
    const huge = await post('/scrub', { text: 'a'.repeat(200 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('accepts a cross-origin /scrub and /rehydrate (exempt prefixes)', async () => {
    const origin = { origin: 'http://192.0.2.50:3000' };
    const r = await post('/scrub', { text: `hi ${EMAIL}` }, origin);
    expect(r.status).toBe(200);
    const { task_id } = (await r.json()) as ScrubResponse;
    expect((await post('/rehydrate', { text: '[EMAIL_1]', task_id }, origin)).status).toBe(200);
    // The task routes are control routes: the same-origin guard still applies to them.
    const del = await fetch(`${c.url}/api/redaction/tasks/${task_id}`, { method: 'DELETE', headers: origin });
    expect(del.status).toBe(403);
  });

  it('deletes a task on request', async () => {
    const { task_id } = await scrub({ text: EMAIL });
    expect((await fetch(`${c.url}/api/redaction/tasks/${task_id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await post('/rehydrate', { text: '[EMAIL_1]', task_id })).status).toBe(404);
  });

  it('keeps values encrypted on disk, the key file 0600, and the placeholders across a restart', async () => {
    const { task_id } = await scrub({ text: `EMP-424242 <${EMAIL}>` });
    expect(statSync(join(c.dataDir, 'redaction.key')).mode & 0o777).toBe(0o600);
    const files = readdirSync(c.dataDir).filter((f) => f.startsWith('spark-control.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(join(c.dataDir, f));
      expect(bytes.includes(Buffer.from(EMAIL)), f).toBe(false);
      expect(bytes.includes(Buffer.from('EMP-424242')), f).toBe(false);
    }
    await c.restart();
    const after = await scrub({ text: `${EMAIL} again`, task_id });
    expect(after.text).toBe('[EMAIL_1] again');
    const back = await post('/rehydrate', { text: '[EMPLOYEE_ID_1] [EMAIL_1]', task_id });
    expect(((await back.json()) as { text: string }).text).toBe(`EMP-424242 ${EMAIL}`);
  });

  it('purges a task once its retention has passed since its last use', async () => {
    const { task_id } = await scrub({ text: EMAIL });
    clock += 30 * 60_000;
    // A use moves the expiry: 30 minutes later it is still there.
    expect((await post('/rehydrate', { text: '[EMAIL_1]', task_id })).status).toBe(200);
    clock += 45 * 60_000;
    expect((await fetch(`${c.url}/api/redaction/tasks/${task_id}`)).status).toBe(200);
    clock += 20 * 60_000;
    const count = () =>
      (c.db.prepare('SELECT COUNT(*) AS n FROM redaction_tasks WHERE id = ?').get(task_id) as { n: number })
        .n;
    for (let i = 0; i < 100 && count() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(count()).toBe(0);
    expect(
      c.db.prepare('SELECT COUNT(*) AS n FROM redaction_entries WHERE task_id = ?').get(task_id),
    ).toEqual({ n: 0 });
  });
});
