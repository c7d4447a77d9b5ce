// The inline answer of the Test button: the reply and its latency, or the error.
import type { UseMutationResult } from '@tanstack/react-query';
import type { TestResult as Result } from '../api/llm.js';

interface Props {
  modelKey: string;
  mutation: UseMutationResult<Result, Error, string>;
}

export function TestResult({ modelKey, mutation }: Props) {
  const { status, data, error } = mutation;
  if (status === 'idle') return null;
  const id = `test-result-${modelKey}`;

  let body;
  if (status === 'pending') body = <p className="muted small">Asking the model to say hello…</p>;
  else if (status === 'error') {
    body = (
      <p className="error-text small" role="alert">
        Test failed: {error.message}
      </p>
    );
  } else {
    body = (
      <p className="small">
        {data.reply ? (
          <q className="test-reply">{data.reply}</q>
        ) : (
          <span className="muted">
            The reply had no text{data.finishReason ? ` (finish reason: ${data.finishReason})` : ''}.
          </span>
        )}{' '}
        <span className="muted">· {(data.latencyMs / 1000).toFixed(2)} s</span>
      </p>
    );
  }

  return (
    <div className="inline-result" data-testid={id} data-status={status}>
      <div className="inline-result-head">
        <span className="subhead">Test</span>
        {status !== 'pending' ? (
          <button
            type="button"
            className="btn btn-ghost"
            aria-label="Hide the test result"
            onClick={() => mutation.reset()}
          >
            ✕
          </button>
        ) : null}
      </div>
      {body}
    </div>
  );
}
