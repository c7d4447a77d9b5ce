// A patch job's result, step by step: what ran, whether it worked, and what it said.
import type { ReapplyResult } from '../../../common/services-api.js';

export function PatchSteps({ result, title }: { result: ReapplyResult; title: string }) {
  return (
    <div
      className={result.ok ? 'ok-box' : 'error-box'}
      role="status"
      data-testid="patches-result"
      data-ok={result.ok ? 'true' : 'false'}
    >
      <strong className="small">{title}</strong>
      <ol className="patch-steps small">
        {result.steps.map((s, i) => (
          <li key={i}>
            <span aria-label={s.ok ? 'ok' : 'failed'}>{s.ok ? '✓' : '✗'}</span> <strong>{s.step}</strong>
            {s.detail ? <span className="muted"> — {s.detail}</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
