// The Data tab (issue 13): tools over the owner's data — semantic search over a Qdrant
// collection, and (added by the redaction work) a redaction tester. Each panel stands alone in its
// own error boundary, so one failing never takes the other down.
import type { ReactNode } from 'react';
import { ErrorBoundary } from '../ErrorBoundary.js';
import { SearchPanel } from './SearchPanel.js';
import './data.css';

interface Props {
  /** The redaction tester's slot (the redaction work fills it; nothing is shown while empty). */
  redaction?: ReactNode;
}

export function DataTab({ redaction }: Props) {
  return (
    <div className="stack" data-testid="data-tab">
      <ErrorBoundary what="Search">
        <SearchPanel />
      </ErrorBoundary>
      {/* Redaction tester slot: <ErrorBoundary what="Redaction"><RedactionPanel /></ErrorBoundary> */}
      {redaction ? <ErrorBoundary what="Redaction">{redaction}</ErrorBoundary> : null}
    </div>
  );
}
