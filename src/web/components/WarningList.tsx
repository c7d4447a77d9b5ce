// Pre-flight warnings (known runtime failures, memory fit), in the warn colour.
import type { PreflightWarning } from '../../common/api.js';

export function WarningList({
  warnings,
  testId,
}: {
  warnings: readonly PreflightWarning[];
  testId?: string;
}) {
  if (warnings.length === 0) return null;
  return (
    <ul className="warn-list" data-testid={testId} aria-label="Pre-flight warnings">
      {warnings.map((w, i) => (
        <li key={`${w.code}-${i}`} data-code={w.code}>
          {w.message}
        </li>
      ))}
    </ul>
  );
}
