import type { ReactNode } from 'react';

interface Props {
  title: string;
  testId: string;
  status: string;
  /** Extra data-* attributes for tests (e.g. `data-ok`). */
  data?: Record<`data-${string}`, string | undefined>;
  /** Shown once the action has finished; hides the result. */
  onHide?: () => void;
  children: ReactNode;
}

/** The small result box under a model card's action (Check, Test), with a hide button. */
export function InlineResult({ title, testId, status, data, onHide, children }: Props) {
  return (
    <div className="inline-result" data-testid={testId} data-status={status} {...data}>
      <div className="inline-result-head">
        <span className="subhead">{title}</span>
        {status !== 'pending' && onHide ? (
          <button
            type="button"
            className="btn btn-ghost"
            aria-label={`Hide the ${title.toLowerCase()} result`}
            onClick={onHide}
          >
            ✕
          </button>
        ) : null}
      </div>
      {children}
    </div>
  );
}
