// "updated 3 s ago", ticking once a second.
import { useNow } from '../hooks/useNow.js';
import { formatAge } from '../lib/format.js';
import { sampleAgeS } from '../lib/nodeStatus.js';
import { formatWhenPrecise } from '../lib/time.js';

interface SampleAgeProps {
  ageS: number | null;
  sampledAt: string | null;
  /** When the sample reached the browser (ms, browser clock). */
  receivedAt: number;
}

export function SampleAge({ ageS, sampledAt, receivedAt }: SampleAgeProps) {
  const now = useNow();
  const age = sampleAgeS(ageS, sampledAt, receivedAt, now);
  return (
    <span
      className="sample-age"
      title={sampledAt ? `Sampled at ${formatWhenPrecise(sampledAt, now)}` : undefined}
    >
      {age == null ? 'no sample yet' : `updated ${formatAge(age)}`}
    </span>
  );
}
