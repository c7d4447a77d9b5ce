// The gpu_memory_utilization knob: slider plus number, explained in GB of the node's memory.
import { useId } from 'react';
import type { NodeHardware } from '../../common/api.js';
import { formatBytes } from '../lib/format.js';
import { nodeMemoryBytes, utilizationHelp, VLLM_DEFAULT_UTILIZATION } from '../lib/knobs.js';

interface Props {
  value: string;
  error: string | undefined;
  node: NodeHardware | undefined;
  nodeName: string | null;
  /** The share of the weights each node holds. */
  weightsGb: number;
  onChange: (value: string) => void;
}

export function UtilizationField({ value, error, node, nodeName, weightsGb, onChange }: Props) {
  const id = useId();
  const n = Number(value);
  const util = value.trim() !== '' && Number.isFinite(n) && n > 0 && n <= 1 ? n : VLLM_DEFAULT_UTILIZATION;
  const total = nodeMemoryBytes(node);

  let help: string;
  if (error) help = error;
  else if (total == null) {
    help = nodeName
      ? `Live memory of ${nodeName} is not available right now, so the GB figures can't be shown.`
      : 'No Spark reports its memory yet, so the GB figures cannot be shown.';
  } else {
    const kind = node?.gpu_unified_memory ? 'unified memory' : 'GPU memory';
    help = `On ${nodeName} (${formatBytes(total, 0)} ${kind}): ${utilizationHelp(util, total, weightsGb).text}`;
  }

  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        GPU memory share <span className="muted mono">gpu_memory_utilization</span>
      </label>
      <div className="slider-row">
        <input
          type="range"
          className="slider"
          min={0.05}
          max={1}
          step={0.01}
          value={util}
          aria-label="GPU memory share slider"
          onChange={(e) => onChange(e.target.value)}
        />
        <input
          id={id}
          className="input input-narrow"
          type="text"
          inputMode="decimal"
          placeholder={`${VLLM_DEFAULT_UTILIZATION} (default)`}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-help`}
          data-testid="knob-gpu-memory-utilization"
          onChange={(e) => onChange(e.target.value)}
        />
      </div>
      <p id={`${id}-help`} className={error ? 'field-help error-text' : 'field-help'}>
        {help}
      </p>
    </div>
  );
}
