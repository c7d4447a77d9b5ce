// The on/off knobs, each with what it does in plain words.
import type { KnobForm } from '../lib/knobs.js';

type Toggle = 'fastsafetensors' | 'prefix_caching' | 'fp8_kv_cache';

const TOGGLES: { key: Toggle; label: string; flag: string; help: string }[] = [
  {
    key: 'fastsafetensors',
    label: 'Fast weight loading',
    flag: '--load-format fastsafetensors',
    help: 'Reads the weights with fastsafetensors: usually a quicker switch. Turn off if a model fails to load with it.',
  },
  {
    key: 'prefix_caching',
    label: 'Prefix caching',
    flag: '--enable-prefix-caching',
    help: 'Reuses work for prompts that start the same way (system prompt, earlier chat turns): faster replies in long conversations.',
  },
  {
    key: 'fp8_kv_cache',
    label: 'FP8 KV cache',
    flag: '--kv-cache-dtype fp8',
    help: 'Halves KV-cache memory, so about twice the context or concurrent requests fit; small quality cost.',
  },
];

export function KnobToggles({
  form,
  onChange,
}: {
  form: KnobForm;
  onChange: (p: Partial<KnobForm>) => void;
}) {
  return (
    <fieldset className="field toggles">
      <legend className="field-label">Options</legend>
      {TOGGLES.map((t) => (
        <label key={t.key} className="toggle">
          <input
            type="checkbox"
            checked={form[t.key]}
            data-testid={`knob-${t.key}`}
            onChange={(e) => onChange({ [t.key]: e.target.checked })}
          />
          <span className="toggle-text">
            <span>
              {t.label} <span className="muted mono">{t.flag}</span>
            </span>
            <span className="field-help">{t.help}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
