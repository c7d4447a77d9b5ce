// Compact vLLM status for the top bar: "switching to <model>" while a swap runs, else the loaded
// model, idle, loading, unreachable or unknown — never "idle" when the server could not tell.
import { useSwapCurrent } from '../hooks/llmQueries.js';
import { useStatus } from '../hooks/queries.js';
import { shortModelName } from '../lib/format.js';
import { isSwapRunning } from '../lib/swap.js';

export function VllmChip() {
  const { data, error } = useStatus();
  const { data: swap } = useSwapCurrent();

  if (swap && isSwapRunning(swap)) {
    // A link to the swap panel: its progress and log are one click away from anywhere on the page.
    return (
      <a
        className="pill pill-warn vllm-chip"
        href="#swap-panel"
        data-testid="vllm-chip"
        data-state="switching"
        title={`${swap.phase} (${swap.state}); show the swap's progress`}
      >
        vLLM: switching to {swap.display_name}
      </a>
    );
  }

  let text = 'vLLM …';
  let tone = 'pill-muted';
  let title = 'Checking vLLM…';
  if (error) {
    text = 'vLLM ?';
    title = `Could not read status: ${error.message}`;
  } else if (data) {
    const v = data.vllm;
    const why = v.error ?? v.note;
    switch (v.state) {
      case 'loaded':
        text = `vLLM: ${shortModelName(v.model ?? '')}`;
        tone = 'pill-ok';
        title = `vLLM is serving ${v.model ?? ''}${v.base_url ? ` at ${v.base_url}` : ''}`;
        break;
      case 'idle':
        text = 'vLLM: idle';
        title = why ?? 'vLLM is up with no model loaded.';
        break;
      case 'loading':
        text = 'vLLM: loading…';
        tone = 'pill-warn';
        title = why ?? 'A model is loading.';
        break;
      case 'unreachable':
        text = 'vLLM unreachable';
        tone = 'pill-danger';
        title = why ?? 'The head node cannot be reached.';
        break;
      default:
        text = 'vLLM: unknown';
        tone = 'pill-warn';
        title = why ?? 'vLLM did not answer: its state is unknown.';
    }
  }

  return (
    <span
      className={`pill ${tone} vllm-chip`}
      data-testid="vllm-chip"
      data-state={error ? 'error' : (data?.vllm.state ?? 'pending')}
      title={title}
    >
      {text}
    </span>
  );
}
