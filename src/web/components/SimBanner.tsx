import { useMeta } from '../hooks/queries.js';

export function SimBanner() {
  const { data } = useMeta();
  // A build without the simulator (the production container image) starts with no nodes at all.
  if (data && !data.simulated && data.nodes.length === 0)
    return (
      <div className="banner banner-info" role="note" data-testid="no-sparks-banner">
        <strong>No Sparks are configured</strong> — open Settings in the top bar to add your Sparks (host,
        user, SSH port), then restart. See README ‘Connect your real Sparks’.
      </div>
    );
  if (!data?.simulated) return null;
  return (
    <div className="banner banner-info" role="note" data-testid="sim-banner">
      <strong>Simulated cluster</strong> — no Sparks are configured, you're looking at two simulated DGX
      Sparks. See README ‘Connect your real Sparks’.
    </div>
  );
}
