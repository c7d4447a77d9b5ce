// The redacting chat handler against a loopback stand-in for vLLM (the outermost seam): what vLLM
// receives holds placeholders only, and what it streams back — a placeholder cut across chunks —
// reaches the client restored.
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../platform/store/db.js';
import { redactionMigrations } from '../migrations.js';
import { RedactionService } from '../service.js';
import { VaultCipher } from '../vault/crypto.js';
import { VaultStore } from '../vault/store.js';
import { createRedactChat } from './redact-chat.js';

const EMAIL = 'noor.haddad@example.org';
const sse = (content: string, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;

describe('redact chat handler', () => {
  const received: string[] = [];
  let upstream: Server;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(body);
        const echo = (JSON.parse(body) as { messages: { content: string }[] }).messages[0]?.content ?? '';
        if ((JSON.parse(body) as { stream?: boolean }).stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          // The placeholder arrives cut in three.
          const cut = echo.indexOf('[EMAIL_1]');
          res.write(sse(echo.slice(0, cut + 3)));
          res.write(sse(echo.slice(cut + 3, cut + 7)));
          res.write(sse(echo.slice(cut + 7)));
          res.end(sse('', 'stop') + 'data: [DONE]\n\n');
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: echo } }] }));
        }
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const db = new Database(':memory:');
    migrate(db, redactionMigrations);
    const store = new VaultStore({ db, cipher: new VaultCipher(randomBytes(32)), retentionMs: 3_600_000 });
    const service = new RedactionService({
      store,
      detectors: { names: [], patterns: [] },
      defaultRegion: null,
      log: { warn: () => undefined },
    });
    const chat = createRedactChat({ service });
    app = Fastify();
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1/chat/completions`;
    app.post('/chat', async (req, reply) => chat.handle(req, reply, { url, onFailed: () => undefined }));
    app.addHook('onClose', async () => {
      await chat.close();
      db.close();
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    upstream.close();
  });

  const ask = (stream: boolean) =>
    fetch(`${base}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        stream,
        messages: [{ role: 'user', content: `mail ${EMAIL} please` }],
      }),
    });

  it('sends vLLM placeholders only, and restores a placeholder cut across chunks', async () => {
    const res = await ask(true);
    const taskId = res.headers.get('x-redaction-task-id');
    const text = await res.text();
    const content = text
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map(
        (l) =>
          (JSON.parse(l.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta
            .content ?? '',
      )
      .join('');
    expect(content).toBe(`mail ${EMAIL} please`);
    expect(text).toContain(`"task_id":"${taskId}"`);
    const sent = received.at(-1) ?? '';
    expect(sent).toContain('mail [EMAIL_1] please');
    expect(sent).not.toContain(EMAIL);
    expect(sent).not.toContain('task_id');
  });

  it('non-streaming: the whole answer restored, with task_id in the body', async () => {
    const res = await ask(false);
    const json = (await res.json()) as { task_id: string; choices: { message: { content: string } }[] };
    expect(json.choices[0]?.message.content).toBe(`mail ${EMAIL} please`);
    expect(json.task_id).toBe(res.headers.get('x-redaction-task-id'));
    expect(received.at(-1)).not.toContain(EMAIL);
  });
});
