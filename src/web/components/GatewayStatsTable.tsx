// Per-client gateway counters (one row per API key name, plus `anonymous`), refreshed while the
// endpoint card is open. Key names only: the server never sends the keys.
import type { UseQueryResult } from '@tanstack/react-query';
import type { GatewayStatsResponse } from '../api/gateway.js';
import { useNow } from '../hooks/useNow.js';
import { formatLatency, lastRequestLabel } from '../lib/endpoint.js';
import { formatWhen, formatWhenPrecise } from '../lib/time.js';

interface Props {
  query: UseQueryResult<GatewayStatsResponse>;
}

function KeysLine({ required }: { required: boolean }) {
  return required ? (
    <span className="pill pill-info" data-testid="gateway-keys-required">
      API key required
    </span>
  ) : (
    <span className="pill pill-muted" data-testid="gateway-keys-required">
      No API keys: open on the LAN
    </span>
  );
}

export function GatewayStatsTable({ query }: Props) {
  const { data, error } = query;
  const now = useNow();

  return (
    <div className="stack-tight" data-testid="gateway-stats">
      <div className="gateway-stats-head">
        <span className="subhead">Gateway requests</span>
        {data ? <KeysLine required={data.keys_required} /> : null}
      </div>
      {error ? (
        <span className="small error-text">
          {data ? 'Refresh failed' : "Couldn't load the gateway stats"}: {error.message}
        </span>
      ) : null}
      {!data ? (
        error ? null : (
          <span className="small muted">Loading…</span>
        )
      ) : (
        <>
          <div className="gateway-table-wrap">
            <table className="gateway-table">
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Requests</th>
                  <th scope="col">Errors</th>
                  <th scope="col">p50</th>
                  <th scope="col">p95</th>
                  <th scope="col">Last request</th>
                </tr>
              </thead>
              <tbody>
                {data.clients.map((c) => (
                  <tr key={c.name} data-testid={`gateway-client-${c.name}`}>
                    <th scope="row" className="mono">
                      {c.name}
                    </th>
                    <td>{c.requests}</td>
                    <td
                      className={c.errors > 0 ? 'gateway-errors' : undefined}
                      title={`${c.aborted} aborted by the client`}
                    >
                      {c.errors}
                    </td>
                    <td>{formatLatency(c.latency_ms.p50)}</td>
                    <td>{formatLatency(c.latency_ms.p95)}</td>
                    <td title={c.last_request_at ? formatWhenPrecise(c.last_request_at, now) : undefined}>
                      {lastRequestLabel(c.last_request_at, now)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <span className="small muted">
            Since {formatWhen(data.since, now)}; latency over each client's last {data.window_size} requests.
          </span>
        </>
      )}
    </div>
  );
}
