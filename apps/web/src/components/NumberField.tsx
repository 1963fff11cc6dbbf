'use client';
// One numeric setting: empty means "the model's default"; out-of-range values are shown as invalid, not clamped.
import type { Settings } from '../lib/apiTypes.js';
import { SETTING_LIMITS } from '../lib/settings.js';
import styles from './SettingsPanel.module.css';

type NumericKey = {
  [K in keyof Settings]-?: NonNullable<Settings[K]> extends number ? K : never;
}[keyof Settings];

interface NumberFieldProps {
  label: string;
  name: NumericKey;
  settings: Settings;
  onChange: (patch: Settings) => void;
  step?: number;
  limits?: { min: number; max: number };
}

/** A labelled number input bound to one field of the settings. */
export function NumberField({ label, name, settings, onChange, step = 1, limits }: NumberFieldProps) {
  const range = limits ?? (SETTING_LIMITS as Record<string, { min: number; max: number } | undefined>)[name];
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
        onChange={(e) => onChange({ [name]: e.target.value === '' ? null : Number(e.target.value) })}
        data-testid={`setting-${name}`}
      />
      {invalid && range && (
        <span className={styles.invalid}>
          Between {range.min} and {range.max}
        </span>
      )}
    </label>
  );
}
