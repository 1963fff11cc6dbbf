'use client';
// One numeric setting: empty means "the model's default"; out-of-range values are shown as invalid, not clamped.
import type { Settings } from '../lib/api.js';
import { type OptionRanges, rangeFor } from '../lib/settings.js';
import styles from './SettingsPanel.module.css';

type NumericKey = {
  [K in keyof Settings]-?: NonNullable<Settings[K]> extends number ? K : never;
}[keyof Settings];

interface NumberFieldProps {
  label: string;
  name: NumericKey;
  settings: Settings;
  ranges: OptionRanges;
  onChange: (patch: Settings) => void;
  step?: number;
}

/** A labelled number input bound to one field of the settings. */
export function NumberField({ label, name, settings, ranges, onChange, step = 1 }: NumberFieldProps) {
  const range = rangeFor(name, settings, ranges);
  const value = settings[name];
  const invalid = value != null && range !== undefined && (value < range.min || value > range.max);
  return (
    <label className={styles.field}>
      {label}
      <input
        type="number"
        inputMode="decimal"
        step={step}
        min={range?.min}
        max={range?.max}
        value={value ?? ''}
        placeholder="default"
        aria-invalid={invalid}
        aria-describedby={invalid ? `${name}-range` : undefined}
        onChange={(e) => onChange({ [name]: e.target.value === '' ? null : Number(e.target.value) })}
        data-testid={`setting-${name}`}
      />
      {invalid && range && (
        <span id={`${name}-range`} className={styles.invalid} data-testid={`invalid-${name}`}>
          Between {range.min} and {range.max}
        </span>
      )}
    </label>
  );
}
