// vLLM's Prometheus metrics (the vllm:* names the control plane scrapes), rendered the way
// prometheus_client prints them: HELP/TYPE lines, float values ("1.0"), cumulative buckets.
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0,
  80.0, 160.0, 640.0, 2560.0,
];
const E2E_BUCKETS = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0,
  960.0, 1920.0, 7680.0,
];

const num = (n: number): string => (Number.isInteger(n) ? `${n}.0` : String(n));

class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(private readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(v: number): void {
    this.sum += v;
    this.count += 1;
    this.buckets.forEach((b, i) => {
      if (v <= b) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }

  render(name: string, labels: string): string[] {
    return [
      ...this.buckets.map((b, i) => `${name}_bucket{${labels},le="${num(b)}"} ${num(this.counts[i] ?? 0)}`),
      `${name}_bucket{${labels},le="+Inf"} ${num(this.count)}`,
      `${name}_count{${labels}} ${num(this.count)}`,
      `${name}_sum{${labels}} ${num(this.sum)}`,
    ];
  }
}

export class VllmMetrics {
  running = 0;
  promptTokens = 0;
  generationTokens = 0;
  private success: Record<string, number> = {};
  private ttft = new Histogram(TTFT_BUCKETS);
  private e2e = new Histogram(E2E_BUCKETS);

  /** A new vLLM process starts from zero, so a model load resets everything. */
  reset(): void {
    Object.assign(this, new VllmMetrics());
  }

  finished(p: { prompt: number; generated: number; reason: string; ttftS: number; e2eS: number }): void {
    this.promptTokens += p.prompt;
    this.generationTokens += p.generated;
    this.success[p.reason] = (this.success[p.reason] ?? 0) + 1;
    this.ttft.observe(p.ttftS);
    this.e2e.observe(p.e2eS);
  }

  /** An aborted request: its prompt and the tokens made before the abort count, no success. */
  aborted(p: { prompt: number; generated: number }): void {
    this.promptTokens += p.prompt;
    this.generationTokens += p.generated;
  }

  render(model: string): string {
    const l = `engine="0",model_name="${model.replace(/["\\]/g, '\\$&')}"`;
    const kv = Math.min(1, this.running * 0.012);
    const block = (name: string, type: string, help: string, lines: string[]): string[] => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} ${type}`,
      ...lines,
    ];
    const success = Object.keys(this.success).length ? this.success : { stop: 0 };
    return [
      ...block('vllm:num_requests_running', 'gauge', 'Number of requests in model execution batches.', [
        `vllm:num_requests_running{${l}} ${num(this.running)}`,
      ]),
      ...block('vllm:num_requests_waiting', 'gauge', 'Number of requests waiting to be processed.', [
        `vllm:num_requests_waiting{${l}} 0.0`,
      ]),
      ...block('vllm:kv_cache_usage_perc', 'gauge', 'KV-cache usage. 1 means 100 percent usage.', [
        `vllm:kv_cache_usage_perc{${l}} ${num(kv)}`,
      ]),
      ...block('vllm:prompt_tokens_total', 'counter', 'Number of prefill tokens processed.', [
        `vllm:prompt_tokens_total{${l}} ${num(this.promptTokens)}`,
      ]),
      ...block('vllm:generation_tokens_total', 'counter', 'Number of generation tokens processed.', [
        `vllm:generation_tokens_total{${l}} ${num(this.generationTokens)}`,
      ]),
      ...block(
        'vllm:request_success_total',
        'counter',
        'Count of successfully processed requests.',
        Object.entries(success).map(
          ([r, n]) => `vllm:request_success_total{${l},finished_reason="${r}"} ${num(n)}`,
        ),
      ),
      ...block(
        'vllm:time_to_first_token_seconds',
        'histogram',
        'Histogram of time to first token in seconds.',
        this.ttft.render('vllm:time_to_first_token_seconds', l),
      ),
      ...block(
        'vllm:e2e_request_latency_seconds',
        'histogram',
        'Histogram of e2e request latency in seconds.',
        this.e2e.render('vllm:e2e_request_latency_seconds', l),
      ),
      '',
    ].join('\n');
  }
}
