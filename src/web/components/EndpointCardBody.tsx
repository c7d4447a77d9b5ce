// The endpoint card's content: base URL, loaded model, a curl example, the routes, and the
// gateway's per-client stats. Whether the example carries an API key follows the stats.
import { useGatewayStats } from '../hooks/gatewayQueries.js';
import { useStatus } from '../hooks/queries.js';
import { buildCurlExample, CONSUMER_GUIDE_URL, GATEWAY_ROUTES } from '../lib/endpoint.js';
import { CopyBox } from './CopyBox.js';
import { GatewayStatsTable } from './GatewayStatsTable.js';

interface Props {
  baseUrl: string;
}

function ModelLine() {
  const { data: status, error } = useStatus();
  const model = status?.vllm.model ?? null;
  if (model) return <CopyBox text={model} label="Copy model id" testId="endpoint-model" />;
  let note: string;
  if (status && (status.vllm.state === 'unknown' || status.vllm.state === 'unreachable'))
    note = `What vLLM serves is unknown right now: ${status.vllm.error ?? status.vllm.state}.`;
  else if (status?.vllm.state === 'loading') note = 'A model is loading…';
  else if (status)
    note = `No model loaded${status.vllm.note ? ` (${status.vllm.note})` : ''}: switch one on the LLM tab.`;
  else if (error) note = `Couldn't read the status: ${error.message}`;
  else note = 'Loading…';
  return (
    <p className={error && !status ? 'small error-text' : 'small muted'} data-testid="endpoint-model">
      {note}
    </p>
  );
}

function CurlExample({ baseUrl, withKey }: { baseUrl: string; withKey: boolean }) {
  const { data: status } = useStatus();
  const text = buildCurlExample({ baseUrl, model: status?.vllm.model ?? null, withKey });
  return <CopyBox text={text} label="Copy curl example" testId="endpoint-curl" />;
}

export function EndpointCardBody({ baseUrl }: Props) {
  const stats = useGatewayStats();
  const withKey = stats.data?.keys_required ?? false;

  return (
    <div className="endpoint-body">
      <div className="stack-tight">
        <span className="subhead">Base URL</span>
        <CopyBox text={baseUrl} label="Copy base URL" testId="endpoint-base-url" />
      </div>
      <div className="stack-tight">
        <span className="subhead">Model id</span>
        <ModelLine />
      </div>
      <div className="stack-tight">
        <span className="subhead">Example</span>
        <CurlExample baseUrl={baseUrl} withKey={withKey} />
        {withKey ? (
          <span className="small muted">
            Set <code>KEY</code> to one of the gateway's API keys first.
          </span>
        ) : null}
      </div>
      <p className="small muted endpoint-routes">
        Routes:{' '}
        {GATEWAY_ROUTES.map((r, i) => (
          <span key={r}>
            {i > 0 ? ', ' : null}
            <code>{r}</code>
          </span>
        ))}
        . Consumer guide:{' '}
        <a href={CONSUMER_GUIDE_URL} target="_blank" rel="noopener" data-testid="consumer-guide-link">
          CONSUMERS.md
        </a>
        .
      </p>
      <GatewayStatsTable query={stats} />
    </div>
  );
}
