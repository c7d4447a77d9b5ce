// The loaded model's explanation of the pending commits, as it streams: its thinking in italics,
// apart from the answer. Closing the panel (or leaving the page) stops the request, which frees
// vLLM's slot.
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client.js';
import { addExplainEvent, EMPTY_EXPLANATION, type Explanation } from './updatesView.js';
import { streamExplain } from './explainStream.js';

export function ExplainPanel({ onClose }: { onClose: () => void }) {
  const [run, setRun] = useState(0);
  // A new key per question: each run starts from empty state.
  return <ExplainRun key={run} onAgain={() => setRun((n) => n + 1)} onClose={onClose} />;
}

function ExplainRun({ onAgain, onClose }: { onAgain: () => void; onClose: () => void }) {
  const [s, setS] = useState<Explanation>(EMPTY_EXPLANATION);
  const [refused, setRefused] = useState<string | null>(null);
  const [streaming, setStreaming] = useState(true);

  useEffect(() => {
    const ac = new AbortController();
    streamExplain(ac.signal, (e) => setS((prev) => addExplainEvent(prev, e)))
      .catch((e: unknown) => {
        if (!ac.signal.aborted) setRefused(errorMessage(e));
      })
      .finally(() => {
        if (!ac.signal.aborted) setStreaming(false);
      });
    return () => ac.abort();
  }, []);

  const state = refused || s.error ? 'error' : streaming ? 'streaming' : 'done';
  return (
    <div className="explain-panel stack-tight" data-testid="explain-panel" data-state={state}>
      <div className="card-title-row">
        <span className="small">
          {s.model ? `Explained by ${s.model}` : 'Asking the loaded model…'}
          {s.commits !== null ? ` · ${s.commits} commit${s.commits === 1 ? '' : 's'}` : ''}
        </span>
        <span className="small muted">{streaming ? 'writing…' : ''}</span>
      </div>
      {s.reasoning ? (
        <div className="explain-reasoning small" data-testid="explain-reasoning">
          <span className="muted">Thinking: </span>
          <em>{s.reasoning}</em>
        </div>
      ) : null}
      {s.content ? (
        <div className="explain-answer" data-testid="explain-answer">
          {s.content}
        </div>
      ) : null}
      {refused || s.error ? (
        <p className="error-text small" role="alert" data-testid="explain-error">
          {refused ?? s.error}
        </p>
      ) : null}
      <div className="button-row button-row-end">
        <button
          type="button"
          className="btn"
          disabled={streaming}
          onClick={onAgain}
          data-testid="explain-again"
        >
          Ask again
        </button>
        <button type="button" className="btn" onClick={onClose} data-testid="explain-close">
          {streaming ? 'Stop' : 'Close'}
        </button>
      </div>
    </div>
  );
}
