// The Data tab (issue 13): tools over the owner's data — semantic search over a Qdrant
// collection, and the redaction gateway's tester. Each panel stands alone in its own error
// boundary, so one failing never takes the other down.
import { ErrorBoundary } from '../ErrorBoundary.js';
import { RedactionTester } from './RedactionTester.js';
import { SearchPanel } from './SearchPanel.js';
import './data.css';

export function DataTab() {
  return (
    <div className="stack" data-testid="data-tab">
      <ErrorBoundary what="Search">
        <SearchPanel />
      </ErrorBoundary>
      <ErrorBoundary what="Redaction">
        <RedactionTester />
      </ErrorBoundary>
    </div>
  );
}
