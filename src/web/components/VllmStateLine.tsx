// One line above the model cards saying what vLLM serves, as far as the server knows: a card
// shows "loaded" only on a definite answer, and this line says why none does otherwise.
import { useStatus } from '../hooks/queries.js';

export function VllmStateLine() {
  const { data, error } = useStatus();
  if (!data) {
    return error ? (
      <p className="small error-text" data-testid="llm-vllm-state" data-state="error">
        Couldn't read vLLM's state: {error.message}
      </p>
    ) : null;
  }
  const v = data.vllm;
  const why = v.error ?? v.note;
  let text: string;
  let tone = 'small muted';
  switch (v.state) {
    case 'loaded':
      text = `vLLM serves ${v.model ?? 'a model'}.`;
      break;
    case 'idle':
      text = 'vLLM is idle: no model is loaded.';
      break;
    case 'loading':
      text = 'vLLM is loading a model.';
      break;
    case 'unreachable':
      text = `vLLM unreachable. ${sentence(why) ?? 'The head node does not answer, so which model is loaded is unknown.'}`;
      tone = 'small warn-text';
      break;
    default:
      text = `vLLM state unknown. ${sentence(why) ?? 'vLLM did not answer in time, so which model is loaded is unknown.'}`;
      tone = 'small warn-text';
  }
  return (
    <p className={tone} data-testid="llm-vllm-state" data-state={v.state}>
      {text}
    </p>
  );
}

/** The server's reason as a sentence: capitalised, with a full stop. */
function sentence(text: string | null | undefined): string | null {
  const t = text?.trim();
  if (!t) return null;
  const s = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
