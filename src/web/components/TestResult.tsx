// The inline answer of the Test button: the reply and its latency, or the error.
import type { UseMutationResult } from '@tanstack/react-query';
import type { TestResult as Result } from '../api/llm.js';
import { InlineResult } from './InlineResult.js';

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
    <InlineResult title="Test" testId={id} status={status} onHide={() => mutation.reset()}>
      {body}
    </InlineResult>
  );
}
