// The inline answer of the Check button: ok, or vLLM's own error, plus the exact launch command.
import type { UseMutationResult } from '@tanstack/react-query';
import type { ValidateResponse } from '../../common/api.js';
import { WarningList } from './WarningList.js';
import { InlineResult } from './InlineResult.js';
import { VisibleText } from './VisibleText.js';

const STAGE: Record<ValidateResponse['stage'], string> = {
  static: "Spark Control's own checks",
  placement: 'the weights check',
  launcher: 'the launcher check',
  argparse: "vLLM's argument parser",
  container: 'the vllm_node container',
  done: 'the end',
};

interface Props {
  modelKey: string;
  mutation: UseMutationResult<ValidateResponse, Error, string>;
}

export function CheckResult({ modelKey, mutation }: Props) {
  const { status, data, error } = mutation;
  if (status === 'idle') return null;

  let body;
  if (status === 'pending') {
    body = (
      <p className="muted small">
        Running vLLM's argument parser on the switch's exact arguments (about 5 s)…
      </p>
    );
  } else if (status === 'error') {
    body = (
      <p className="error-text small" role="alert">
        Check failed: {error.message}
      </p>
    );
  } else {
    body = (
      <>
        {data.ok ? (
          <p className="ok-text small">
            ✓ vLLM accepts these arguments. Loading can still fail (memory, weights): this checks the
            arguments only.
          </p>
        ) : data.stage === 'container' ? (
          <p className="warn-text small">The check could not run in {STAGE.container}:</p>
        ) : (
          <p className="error-text small">✗ Rejected by {STAGE[data.stage]}:</p>
        )}
        {!data.ok && data.error ? (
          <pre className="mono-block mono-error">
            <VisibleText text={data.error} multiline />
          </pre>
        ) : null}
        <WarningList warnings={data.warnings} />
        <details className="disclosure">
          <summary>Launch command</summary>
          <pre className="mono-block">
            <VisibleText text={data.launch_cmd} />
          </pre>
        </details>
      </>
    );
  }

  return (
    <InlineResult
      title="Check"
      testId={`check-result-${modelKey}`}
      status={status}
      data={{ 'data-ok': data ? String(data.ok) : undefined }}
      onHide={() => mutation.reset()}
    >
      {body}
    </InlineResult>
  );
}
