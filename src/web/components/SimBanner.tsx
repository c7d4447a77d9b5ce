import { useMeta } from '../hooks/queries.js';

export function SimBanner() {
  const { data } = useMeta();
  if (!data?.simulated) return null;
  return (
    <div className="banner banner-info" role="note" data-testid="sim-banner">
      <strong>Simulated cluster</strong> — no Sparks are configured, you're looking at two simulated DGX
      Sparks. See README ‘Connect your real Sparks’.
    </div>
  );
}
