'use client';
// One numeric setting: empty means "the model's default"; out-of-range values are shown as invalid, not clamped.
import type { Settings } from '../lib/api.js';
import { describeRange, inRange, type OptionRanges, rangeFor } from '../lib/settings.js';
import styles from './SettingsPanel.module.css';

export type NumericKey = {
  [K in keyof Settings]-?: NonNullable<Settings[K]> extends number ? K : never;
}[keyof Settings];

interface NumberFieldProps {
  label: string;
  name: NumericKey;
  settings: Settings;
  ranges: OptionRanges;
  /** One line under the field (the API's description of the option). */
  hint?: string;
  onChange: (patch: Settings) => void;
  step?: number;
}

/** A labelled number input bound to one field of the settings. */
export function NumberField({ label, name, settings, ranges, hint, onChange, step = 1 }: NumberFieldProps) {
  const range = rangeFor(name, settings, ranges);
  const value = settings[name];
  const invalid = value != null && range !== undefined && !inRange(value, range);
  return (
    <label className={styles.field}>
      {label}
      <input
        type="number"
        inputMode="decimal"
        step={step}
        min={range?.min ?? undefined}
        max={range?.max ?? undefined}
        value={value ?? ''}
        placeholder="default"
        aria-invalid={invalid}
        aria-describedby={
          [invalid ? `${name}-range` : '', hint ? `${name}-hint` : ''].join(' ').trim() || undefined
        }
        onChange={(e) => onChange({ [name]: e.target.value === '' ? null : Number(e.target.value) })}
        data-testid={`setting-${name}`}
      />
      {hint && (
        <span id={`${name}-hint`} className={styles.hint}>
          {hint}
        </span>
      )}
      {invalid && range && (
        <span id={`${name}-range`} className={styles.invalid} data-testid={`invalid-${name}`}>
          {describeRange(range)}
        </span>
      )}
    </label>
  );
}
