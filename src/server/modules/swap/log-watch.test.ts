import { describe, expect, it } from 'vitest';
import { LogWatch } from './log-watch.js';
import { parserError } from './validate.js';

const feed = (lines: string[]) => {
  const w = new LogWatch();
  const fatal = lines.map((l) => w.push(l));
  return { w, fatal };
};

describe('LogWatch', () => {
  it('stays quiet through a normal load', () => {
    const { w } = feed([
      'INFO 09-03 16:28:10 [api_server.py:1882] vLLM API server version 0.11.0',
      'Loading safetensors checkpoint shards:  40% Completed | 4/10 [00:04<00:06,  1.02s/it]',
      '(APIServer pid=12) INFO:     Application startup complete.',
    ]);
    expect(w.failed).toBe(false);
  });

  it('explains an engine-init failure with the exception, not the wrapper', () => {
    const { w, fatal } = feed([
      '(EngineCore_DP0 pid=300) Traceback (most recent call last):',
      '(EngineCore_DP0 pid=300) ValueError: Chunked MM input disabled but max_tokens_per_mm_item (2496) is larger than max_num_batched_tokens (2048). Please increase max_num_batched_tokens.',
      '(APIServer pid=12) RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}',
    ]);
    expect(fatal).toEqual([false, false, true]);
    expect(w.reason()).toMatch(/^ValueError: Chunked MM input disabled/);
  });

  it('recognises argparse rejections', () => {
    const { w } = feed([
      'usage: vllm [-h] [-v] {chat,complete,serve,bench,collect-env,run-batch} ...',
      'vllm: error: unrecognized arguments: --temperature 0.8',
    ]);
    expect(w.failed).toBe(true);
    expect(w.reason()).toBe('vllm: error: unrecognized arguments: --temperature 0.8');
  });

  it('recognises a --config file vLLM cannot read, explained by the exception', () => {
    const { w, fatal } = feed([
      'ERROR 12-01 09:00:00 [argparse_utils.py:327] Unable to read the config file at /root/.cache/huggingface/spark-control/swap_x.yaml. Make sure path is correct',
      'Traceback (most recent call last):',
      "FileNotFoundError: [Errno 2] No such file or directory: '/root/.cache/huggingface/spark-control/swap_x.yaml'",
    ]);
    expect(fatal[0]).toBe(true);
    expect(w.reason()).toMatch(/^FileNotFoundError: \[Errno 2\] No such file or directory: '\/root\/.cache/);
  });

  it('strips terminal colour codes before matching', () => {
    const { w } = feed(['\u001b[31mvllm: error: unrecognized arguments: --bogus\u001b[0m']);
    expect(w.reason()).toBe('vllm: error: unrecognized arguments: --bogus');
  });

  it('keeps a bounded tail', () => {
    const w = new LogWatch(3);
    for (let i = 0; i < 10; i++) w.push(`line ${i}`);
    expect(w.tail()).toEqual(['line 7', 'line 8', 'line 9']);
  });
});

describe('parserError', () => {
  it('picks the argparse error line', () => {
    expect(
      parserError('usage: vllm serve [-h] ...\nvllm serve: error: unrecognized arguments: --bogus\n'),
    ).toBe('vllm serve: error: unrecognized arguments: --bogus');
    expect(parserError('')).toBe('vLLM rejected the arguments');
  });
});
