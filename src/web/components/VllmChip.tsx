// Compact vLLM status for the top bar: the loaded model, "idle", or down.
import { useStatus } from '../hooks/queries.js';
import { shortModelName } from '../lib/format.js';

export function VllmChip() {
  const { data, error } = useStatus();

  let text = 'vLLM …';
  let tone = 'pill-muted';
  let title = 'Checking vLLM…';
  if (error) {
    text = 'vLLM ?';
    title = `Could not read status: ${error.message}`;
  } else if (data) {
    const v = data.vllm;
    if (!v.ok) {
      text = 'vLLM down';
      tone = 'pill-danger';
      title = v.error ?? v.note ?? 'vLLM is not answering.';
    } else if (v.model) {
      text = `vLLM: ${shortModelName(v.model)}`;
      tone = 'pill-ok';
      title = `vLLM is serving ${v.model}${v.base_url ? ` at ${v.base_url}` : ''}`;
    } else {
      text = 'vLLM: idle';
      title = v.note ?? 'vLLM is up with no model loaded.';
    }
  }

  return (
    <span className={`pill ${tone} vllm-chip`} data-testid="vllm-chip" title={title}>
      {text}
    </span>
  );
}
