import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rehydrateText } from './rehydrate.js';
import { createChatSseRehydrator } from './sse-rehydrate.js';
import { sampleTask } from './test-fixtures.js';

const task = sampleTask();
type Json = Record<string, unknown>;

/** Pieces of 1–5 code units, like tokens: placeholders end up split across deltas. */
function tokens(text: string): string[] {
  const out: string[] = [];
  for (let i = 0, k = 0; i < text.length; k++) {
    const n = 1 + ((k * 7) % 5);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

interface Plan {
  field?: 'content' | 'reasoning' | 'reasoning_content';
  text: string;
  args?: string;
}

/** A stream shaped like the simulated vLLM's (src/sim/vllm/chat-stream.ts): role chunks, one chunk
 * per token and choice interleaved by index, the finish reason on the last token, usage, [DONE]. */
function vllmStream(plans: Plan[], opts: { usage?: boolean; done?: boolean } = {}): string {
  const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1788735762, model: 'm' };
  const ev = (choices: unknown[], extra: Json = {}) =>
    `data: ${JSON.stringify({ ...head, choices, ...extra })}\n\n`;
  let s = plans
    .map((_, index) =>
      ev([{ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
    )
    .join('');
  const steps = plans.map((p) => [
    ...tokens(p.text).map((t) => ({ [p.field ?? 'content']: t })),
    ...(p.args === undefined
      ? []
      : [
          { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'send' } }] },
          ...tokens(p.args).map((a) => ({ tool_calls: [{ index: 0, function: { arguments: a } }] })),
        ]),
  ]);
  for (let t = 0; t < Math.max(...steps.map((x) => x.length)); t++) {
    steps.forEach((deltas, index) => {
      const delta = deltas[t];
      if (!delta) return;
      const finish =
        t === deltas.length - 1 ? { finish_reason: 'stop', stop_reason: null } : { finish_reason: null };
      s += ev([{ index, delta, logprobs: null, ...finish }]);
    });
  }
  if (opts.usage) s += ev([], { usage: { prompt_tokens: 5, total_tokens: 9, completion_tokens: 4 } });
  return opts.done === false ? s : `${s}data: [DONE]\n\n`;
}

function run(parts: readonly (string | Uint8Array)[]): string {
  const r = createChatSseRehydrator(task);
  return parts.map((p) => r.push(p)).join('') + r.end();
}

/** What a client puts together from a stream: per choice, per field, and tool arguments. */
function collect(sse: string) {
  const got: Record<number, Record<string, string>> = {};
  const events: Json[] = [];
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const obj = JSON.parse(line.slice(6)) as Json;
    events.push(obj);
    for (const c of (obj.choices ?? []) as Json[]) {
      const acc = (got[c.index as number] ??= {});
      const delta = (c.delta ?? {}) as Json;
      for (const f of ['content', 'reasoning', 'reasoning_content'])
        if (typeof delta[f] === 'string') acc[f] = (acc[f] ?? '') + (delta[f] as string);
      for (const call of (delta.tool_calls ?? []) as Json[]) {
        const a = (call.function as Json | undefined)?.arguments;
        if (typeof a === 'string') acc.args = (acc.args ?? '') + a;
      }
    }
  }
  return { got, events };
}

const said =
  'Write to [email_1] or **EMAIL_2**, [ Person 1 ]! Card: [CREDIT CARD 1]. Unknown [EMAIL_9]. Bye PERSON_1';
const thought = 'The user PERSON_1 wants [EMAIL_1]';

describe('createChatSseRehydrator', () => {
  it('restores content split across deltas, per choice, n = 2, held text riding the finish chunk', () => {
    const sse = vllmStream([{ text: said }, { text: thought, field: 'reasoning' }], { usage: true });
    const out = run([sse]);
    const { got, events } = collect(out);
    expect(got[0]!.content).toBe(rehydrateText(said, task));
    expect(got[0]!.content).toContain('Bye Ann Lee');
    expect(got[1]!.reasoning).toBe('The user Ann Lee wants ann.lee@example.com');
    expect(out).not.toMatch(/PERSON_1|\[email_1\]/i);
    // the last token ("PERSON_1" held until then) is restored inside the chunk with finish_reason
    const last0 = events.filter((e) => (e.choices as Json[])[0]?.index === 0).at(-1)!;
    expect((last0.choices as Json[])[0]).toMatchObject({
      finish_reason: 'stop',
      delta: { content: expect.stringContaining('Ann Lee') },
    });
    expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(out).toContain('"usage":{"prompt_tokens":5');
  });

  it('restores tool-call arguments as valid JSON (values escaped)', () => {
    const args = '{"to": "[EMAIL_1]", "note": "[A1_B2_1]", "who": "PERSON_1"}';
    const { got } = collect(run([vllmStream([{ text: '', args }])]));
    expect(JSON.parse(got[0]!.args!)).toEqual({
      to: 'ann.lee@example.com',
      note: 'say "hi" \\ there',
      who: 'Ann Lee',
    });
  });

  it('keeps parallel tool calls apart and flushes held arguments into the finish chunk', () => {
    const ev = (delta: Json, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
    const call = (index: number, args: string) => ({
      tool_calls: [{ index, function: { arguments: args } }],
    });
    const sse =
      ev({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '' } }] }) +
      ev(call(0, '{"x":"[EMA')) +
      ev({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '' } }] }) +
      ev(call(1, 'to EMAIL')) +
      ev(call(0, 'IL_1]"}')) +
      ev(call(1, '_2')) +
      ev({}, 'tool_calls') +
      'data: [DONE]\n\n';
    const out = run([sse]);
    const args: Record<number, string> = {};
    for (const line of out.split('\n').filter((l) => l.startsWith('data: {'))) {
      const delta = (JSON.parse(line.slice(6)) as { choices: { delta: Json }[] }).choices[0]!.delta;
      for (const c of (delta.tool_calls ?? []) as { index: number; function?: { arguments?: string } }[])
        args[c.index] = (args[c.index] ?? '') + (c.function?.arguments ?? '');
    }
    expect(args).toEqual({ 0: '{"x":"ann.lee@example.com"}', 1: 'to bo@example.org' });
    const last = out
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .at(-1)!;
    expect(JSON.parse(last.slice(6))).toMatchObject({
      choices: [
        {
          finish_reason: 'tool_calls',
          delta: { tool_calls: [{ index: 1, function: { arguments: 'bo@example.org' } }] },
        },
      ],
    });
  });

  it('passes comments, errors, [DONE] and chunks without placeholders through byte for byte', () => {
    const plain = vllmStream([{ text: 'Nothing to do here, it is so.' }], { usage: true });
    expect(run([plain])).toBe(plain);
    const odd =
      ': keep-alive\n\nevent: ping\ndata: not json\n\ndata: {"error":{"message":"boom","type":"InternalServerError","param":null,"code":500}}\n\ndata: [DONE]\n\n';
    expect(run([odd])).toBe(odd);
  });

  it('flushes held text in a chunk of its own before [DONE] when the finish never came', () => {
    const head =
      '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":';
    const sse =
      `data: ${head}"mail EMAIL_1"},"logprobs":null,"finish_reason":null}]}\n\n` +
      'data: {"error":{"message":"engine died","type":"InternalServerError","param":null,"code":500}}\n\n' +
      'data: [DONE]\n\n';
    const out = run([sse]);
    const lines = out.split('\n').filter(Boolean);
    expect(lines[0]).toContain('"content":"mail "');
    expect(lines[1]).toBe(
      'data: {"error":{"message":"engine died","type":"InternalServerError","param":null,"code":500}}',
    );
    expect(JSON.parse(lines[2]!.slice(6))).toMatchObject({
      id: 'c',
      choices: [{ index: 0, delta: { content: 'ann.lee@example.com' }, finish_reason: null }],
    });
    expect(lines[3]).toBe('data: [DONE]');
  });

  it('flushes on end() when the upstream stream stops without [DONE] (even mid-line)', () => {
    const sse = vllmStream([{ text: 'x [PERSON_1] EMAIL_1' }], { done: false }).replace(
      /"finish_reason":"stop"/,
      '"finish_reason":null',
    );
    const { got } = collect(run([sse]));
    expect(got[0]!.content).toBe('x Ann Lee ann.lee@example.com');
    const cut = run([sse + 'data: {"id":"c","choi']);
    expect(collect(cut.replace('data: {"id":"c","choi\n\n', '')).got[0]!.content).toBe(
      'x Ann Lee ann.lee@example.com',
    );
  });

  it('gives the same output however the stream is split (every boundary, CRLF too)', () => {
    const sse = vllmStream([{ text: 'Hi [Email_1]!' }, { text: '', args: '{"a":"EMAIL_2"}' }]);
    const crlf = sse.replaceAll('\n', '\r\n');
    for (const s of [sse, crlf]) {
      const whole = run([s]);
      for (let i = 0; i <= s.length; i++) expect(run([s.slice(0, i), s.slice(i)])).toBe(whole);
    }
    expect(collect(run([crlf.replaceAll('\r\n', '\n')])).got[1]!.args).toBe('{"a":"bo@example.org"}');
  });

  it('property: random byte splits of realistic streams (multi-byte text) equal the unsplit result', () => {
    const enc = new TextEncoder();
    const texts = fc.constantFrom(
      said,
      thought,
      'Grüße an [PERSON_1] 😀 von EMAIL_2',
      'no placeholders at all',
      '',
    );
    fc.assert(
      fc.property(
        fc.array(texts, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.uniqueArray(fc.integer({ min: 1, max: 4000 }), { maxLength: 40 }),
        (choiceTexts, usage, rawCuts) => {
          const sse = vllmStream(
            choiceTexts.map((text, i) => ({ text, field: i === 2 ? 'reasoning_content' : 'content' })),
            { usage },
          );
          const bytes = enc.encode(sse);
          const cuts = rawCuts.filter((c) => c < bytes.length).sort((a, b) => a - b);
          const parts: Uint8Array[] = [];
          let at = 0;
          for (const c of cuts) parts.push(bytes.subarray(at, (at = c)));
          parts.push(bytes.subarray(at));
          const out = run(parts);
          expect(out).toBe(run([sse]));
          const { got } = collect(out);
          choiceTexts.forEach((t, i) => {
            const f = i === 2 ? 'reasoning_content' : 'content';
            expect(got[i]?.[f] ?? '').toBe(rehydrateText(t, task));
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
