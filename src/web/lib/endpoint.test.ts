import { describe, expect, it } from 'vitest';
import {
  buildCurlExample,
  formatLatency,
  gatewayBaseUrl,
  lastRequestLabel,
  MODEL_PLACEHOLDER,
  shellQuote,
} from './endpoint.js';

describe('gatewayBaseUrl', () => {
  it('appends /v1 to the page origin', () => {
    expect(gatewayBaseUrl('http://spark-control.local:9999')).toBe('http://spark-control.local:9999/v1');
    expect(gatewayBaseUrl('http://192.0.2.10:9999/')).toBe('http://192.0.2.10:9999/v1');
  });
});

describe('shellQuote', () => {
  it('single-quotes and escapes embedded quotes', () => {
    expect(shellQuote('a b $X')).toBe(`'a b $X'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });
});

describe('buildCurlExample', () => {
  const baseUrl = 'http://spark-control.local:9999/v1';

  it('builds a chat completion request without a key', () => {
    expect(buildCurlExample({ baseUrl, model: 'Qwen/Qwen3-8B', withKey: false })).toBe(
      [
        `curl 'http://spark-control.local:9999/v1/chat/completions' \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '{"model":"Qwen/Qwen3-8B","messages":[{"role":"user","content":"Hello!"}]}'`,
      ].join('\n'),
    );
  });

  it('adds the Authorization header only when the gateway has keys', () => {
    const withKey = buildCurlExample({ baseUrl, model: 'm', withKey: true });
    expect(withKey).toContain(`  -H "Authorization: Bearer $KEY" \\\n`);
    expect(buildCurlExample({ baseUrl, model: 'm', withKey: false })).not.toContain('Authorization');
  });

  it('uses a placeholder while no model is loaded', () => {
    expect(buildCurlExample({ baseUrl, model: null, withKey: false })).toContain(
      `"model":"${MODEL_PLACEHOLDER}"`,
    );
  });

  it('keeps odd model ids and prompts valid JSON inside one shell word', () => {
    const cmd = buildCurlExample({
      baseUrl: baseUrl + '/',
      model: `o'neil "x"`,
      withKey: false,
      prompt: 'a\nb',
    });
    expect(cmd).toContain(`curl 'http://spark-control.local:9999/v1/chat/completions'`);
    const word = /-d '(.*)'$/s.exec(cmd)?.[1] ?? '';
    const body = JSON.parse(word.replace(/'\\''/g, `'`)) as {
      model: string;
      messages: { content: string }[];
    };
    expect(body.model).toBe(`o'neil "x"`);
    expect(body.messages[0]?.content).toBe('a\nb');
  });
});

describe('formatLatency', () => {
  it('formats milliseconds and seconds', () => {
    expect(formatLatency(null)).toBe('—');
    expect(formatLatency(84.4)).toBe('84 ms');
    expect(formatLatency(1_234)).toBe('1.2 s');
    expect(formatLatency(42_000)).toBe('42 s');
  });
});

describe('lastRequestLabel', () => {
  const now = Date.parse('2026-03-04T12:00:00Z');
  it('is relative to now', () => {
    expect(lastRequestLabel('2026-03-04T11:57:00Z', now)).toBe('3 min ago');
    expect(lastRequestLabel('2026-03-04T11:59:55Z', now)).toBe('5 s ago');
  });
  it('says never without a request', () => {
    expect(lastRequestLabel(null, now)).toBe('never');
    expect(lastRequestLabel('garbage', now)).toBe('never');
  });
});
