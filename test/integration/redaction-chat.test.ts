// The redacting chat route through the official `openai` client (base URL …/v1/redact) against
// the simulator's vLLM, which echoes the user's words: the echo carries the placeholders vLLM was
// given, and the client must get the original values back — streamed and not. Also: always-redact
// keys, errors keeping their status, and no value or key in the server's log.
import { Writable } from 'node:stream';
import type { APIError } from 'openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedactionTaskView } from '../../src/common/redaction-api.js';
import { createLogger } from '../../src/server/platform/log.js';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';

const EMAIL = 'ines.marchetti@example.org';
const CRM_KEY = 'sk-crm-7c1f0e9a2b4d6f80';
const PLAIN_KEY = 'sk-plain-3e5a7c9b1d2f4a60';

describe('POST /v1/redact/chat/completions', () => {
  let c: TestCluster;
  let model: string;
  let redact: OpenAI;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const task = async (id: string) =>
    (await (await fetch(`${c.url}/api/redaction/tasks/${id}`)).json()) as RedactionTaskView;

  beforeAll(async () => {
    c = await startTestCluster({
      speed: 1,
      logger: createLogger('debug', sink),
      env: { GATEWAY_API_KEYS: `crm:${CRM_KEY},plain:${PLAIN_KEY}` },
    });
    // GATEWAY_API_KEYS has no always_redact flag; the config object is the server's (next boot).
    c.config.api_keys = c.config.api_keys.map((k) => ({ ...k, always_redact: k.name === 'crm' }));
    c.config.redaction = { ...c.config.redaction, names: ['Ines Marchetti'] };
    await c.restart();
    redact = new OpenAI({ baseURL: `${c.url}/v1/redact`, apiKey: PLAIN_KEY, maxRetries: 0 });
    model = await waitFor(async () => (await redact.models.list()).data[0]?.id);
  });
  afterAll(async () => c?.close());

  it('scrubs the request and gives the values back (non-streaming), with the task id', async () => {
    const { data, response } = await redact.chat.completions
      .create({ model, messages: [{ role: 'user', content: `Write to ${EMAIL} today` }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toContain(`You said: "Write to ${EMAIL} today"`);
    const taskId = (data as unknown as { task_id: string }).task_id;
    expect(taskId).toMatch(/^red_/);
    expect(response.headers.get('x-redaction-task-id')).toBe(taskId);
    expect((await task(taskId)).placeholders).toEqual([{ placeholder: '[EMAIL_1]', type: 'EMAIL' }]);
  });

  it("streams a configured person's name and a phone number back, the task holding only placeholders", async () => {
    const said = 'Tell Ines Marchetti to call +44 20 7946 0958 before noon';
    const stream = await redact.chat.completions.create({
      model,
      stream: true,
      messages: [{ role: 'user', content: said }],
    });
    let text = '';
    let taskId = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      taskId ||= (chunk as unknown as { task_id: string }).task_id;
    }
    expect(text).toContain(`You said: "${said}"`);
    expect(text).not.toMatch(/\[(PERSON|PHONE)_/);
    const placeholders = (await task(taskId)).placeholders;
    expect(placeholders).toEqual(
      expect.arrayContaining([
        { placeholder: '[PERSON_1]', type: 'PERSON' },
        { placeholder: '[PHONE_1]', type: 'PHONE' },
      ]),
    );
    expect(JSON.stringify(placeholders)).not.toContain('Marchetti');
  });

  it('streams the answer with the values back, reusing a given task', async () => {
    const first = await fetch(`${c.url}/scrub`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PLAIN_KEY}` },
      body: JSON.stringify({ text: `boss: boss@example.com, me: ${EMAIL}`, task_id: 'thread-7' }),
    });
    expect(first.status).toBe(200);
    const stream = await redact.chat.completions.create({
      model,
      stream: true,
      messages: [{ role: 'user', content: `Mail ${EMAIL} and boss@example.com now` }],
      // The route's own field, next to OpenAI's.
      ...({ task_id: 'thread-7' } as object),
    });
    let text = '';
    const ids = new Set<string>();
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      ids.add((chunk as unknown as { task_id: string }).task_id);
    }
    expect(text).toContain(`You said: "Mail ${EMAIL} and boss@example.com now"`);
    expect(text).not.toContain('[EMAIL_');
    expect([...ids]).toEqual(['thread-7']);
    expect((await task('thread-7')).placeholders.map((p) => p.placeholder)).toEqual([
      '[EMAIL_1]',
      '[EMAIL_2]',
    ]);
  });

  it('sends an always-redact key’s /v1/chat/completions through the redacting route', async () => {
    const body = JSON.stringify({ model, messages: [{ role: 'user', content: `ping ${EMAIL}` }] });
    const send = (key: string, stream = false) =>
      fetch(`${c.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: stream ? body.replace(/}$/, ',"stream":true}') : body,
      });
    const crm = await send(CRM_KEY);
    const id = crm.headers.get('x-redaction-task-id');
    expect(id).toMatch(/^red_/);
    const json = (await crm.json()) as { task_id: string; choices: { message: { content: string } }[] };
    expect(json.task_id).toBe(id);
    expect(json.choices[0]?.message.content).toContain(EMAIL);
    expect((await task(id!)).placeholders).toHaveLength(1);

    const streamed = await send(CRM_KEY, true);
    expect(streamed.headers.get('x-redaction-task-id')).toMatch(/^red_/);
    expect(await streamed.text()).toContain('"task_id":"red_');

    const plain = await send(PLAIN_KEY);
    expect(plain.headers.get('x-redaction-task-id')).toBeNull();
    expect(await plain.json()).not.toHaveProperty('task_id');
  });

  it('refuses an always-redact key every other route to vLLM (its text would reach the model unscrubbed)', async () => {
    const crm = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: CRM_KEY, maxRetries: 0 });
    const refused = async (call: Promise<unknown>) => {
      const err = await call.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OpenAI.APIError);
      const e = err as InstanceType<typeof OpenAI.APIError>;
      expect(e.status).toBe(403);
      expect(e.type).toBe('permission_error');
      expect(e.message).toMatch(/API key "crm" is always redacted.*Use \/v1\/chat\/completions/);
    };
    const prompt = `Write to ${EMAIL}`;
    // Streaming too: the fast path steps aside for this key, so the same route answers.
    await refused(crm.completions.create({ model, prompt }));
    await refused(crm.completions.create({ model, prompt, stream: true }));
    await refused(crm.responses.create({ model, input: prompt }));
    for (const path of ['/tokenize', '/v1/score']) {
      const res = await fetch(`${c.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CRM_KEY}` },
        body: JSON.stringify({ model, prompt, text_1: prompt, text_2: 'x' }),
      });
      expect(res.status, path).toBe(403);
    }
    // The plain key is served as before.
    const plain = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: PLAIN_KEY, maxRetries: 0 });
    expect((await plain.completions.create({ model, prompt: 'Hi', max_tokens: 2 })).choices).toHaveLength(1);
  });

  it('keeps an upstream error’s status and envelope, streaming or not; refuses a bad task id', async () => {
    for (const stream of [false, true]) {
      const err = await redact.chat.completions
        .create({ model: 'no/such-model', stream, messages: [{ role: 'user', content: EMAIL }] })
        .then(
          () => null,
          (e: unknown) => e as APIError,
        );
      expect(err?.status).toBe(404);
    }
    const bad = await fetch(`${c.url}/v1/redact/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PLAIN_KEY}` },
      body: JSON.stringify({ model, task_id: 'bad id!', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { param: 'task_id', type: 'invalid_request_error' } });
  });

  it('requires the API key on /v1/redact and /scrub when keys are configured', async () => {
    const anon = await fetch(`${c.url}/scrub`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: EMAIL }),
    });
    expect(anon.status).toBe(401);
    const noKey = new OpenAI({ baseURL: `${c.url}/v1/redact`, apiKey: 'wrong', maxRetries: 0 });
    const err = await noKey.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'x' }] })
      .then(
        () => null,
        (e: unknown) => e as APIError,
      );
    expect(err?.status).toBe(401);
  });

  it('never writes a scrubbed value or a key to the log', () => {
    const all = logs.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).toContain('/v1/redact/chat/completions');
    for (const secret of [EMAIL, 'boss@example.com', CRM_KEY, PLAIN_KEY]) expect(all).not.toContain(secret);
  });
});
