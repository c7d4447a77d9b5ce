// The collapsible "OpenAI-compatible endpoint" card (SPEC §15) between the swap panel and the
// tabs. It starts collapsed (as the original did); collapsed or not is remembered per browser; the body (and its stats polling) only mounts
// while expanded, and the header keeps the base URL in view either way.
import { useId } from 'react';
import { usePersistentState } from '../hooks/usePersistentState.js';
import { gatewayBaseUrl } from '../lib/endpoint.js';
import { EndpointCardBody } from './EndpointCardBody.js';

const COLLAPSED = ['true', 'false'] as const;
const COLLAPSED_KEY = 'spark-control.endpoint-collapsed';

export function EndpointCard() {
  const [collapsed, setCollapsed] = usePersistentState(COLLAPSED_KEY, COLLAPSED, 'true');
  const bodyId = useId();
  const isCollapsed = collapsed === 'true';
  const baseUrl = gatewayBaseUrl(window.location.origin);

  return (
    <section
      className="card endpoint-card"
      data-testid="endpoint-card"
      data-collapsed={collapsed}
      aria-label="OpenAI-compatible endpoint"
    >
      <header className="endpoint-head">
        <button
          type="button"
          className="endpoint-toggle"
          data-testid="endpoint-toggle"
          aria-expanded={!isCollapsed}
          aria-controls={bodyId}
          onClick={() => setCollapsed(isCollapsed ? 'false' : 'true')}
        >
          <span className="endpoint-chevron" aria-hidden="true">
            {isCollapsed ? '▸' : '▾'}
          </span>
          <h2 className="endpoint-title">OpenAI-compatible endpoint</h2>
        </button>
        {isCollapsed ? <span className="small muted mono endpoint-summary">{baseUrl}</span> : null}
      </header>
      {isCollapsed ? null : (
        <div id={bodyId} className="card-body">
          <EndpointCardBody baseUrl={baseUrl} />
        </div>
      )}
    </section>
  );
}
