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
      text = `vLLM is unreachable${why ? ` (${why})` : ''}: which model is loaded is unknown until the head node answers.`;
      tone = 'small warn-text';
      break;
    default:
      text = `vLLM's state is unknown${why ? ` (${why})` : ''}: which model is loaded cannot be told right now.`;
      tone = 'small warn-text';
  }
  return (
    <p className={tone} data-testid="llm-vllm-state" data-state={v.state}>
      {text}
    </p>
  );
}
