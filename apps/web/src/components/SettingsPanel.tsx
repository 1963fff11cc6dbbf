'use client';
// Generation settings and the model/precision choice of the open conversation (saved with it by the API). A modal
// dialog: it takes the focus when it opens, a backdrop keeps it from hiding Send under a live page, Escape closes it.
import { useEffect, useRef } from 'react';
import type { ModelInfo, Precision, Settings, Strategy } from '../lib/api.js';
import type { OptionRanges } from '../lib/settings.js';
import { NumberField, type NumericKey } from './NumberField.js';
import styles from './SettingsPanel.module.css';

interface SettingsPanelProps {
  open: boolean;
  settings: Settings;
  models: ModelInfo[];
  /** Published by the API (limits): the only source of the ranges. */
  ranges: OptionRanges;
  onChange: (settings: Settings) => void;
  onClose: () => void;
}

/** The settings drawer; fields that do not apply to the chosen strategy are hidden. */
export function SettingsPanel({ open, settings, models, ranges, onChange, onClose }: SettingsPanelProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      first.current?.focus();
    } else if (!open && d.open) d.close();
  }, [open]);
  const set = (patch: Settings) => onChange({ ...settings, ...patch });
  const field = { settings, ranges, onChange: set };
  const strategy = settings.strategy ?? 'GREEDY';
  const baseNames = [...new Set(models.map((m) => m.baseName))];
  const chosenBase = settings.model ?? models.find((m) => m.isDefault)?.baseName ?? baseNames[0];
  const precisions = models.filter((m) => m.baseName === chosenBase).map((m) => m.precision);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click is for the backdrop; the keyboard closes it with Escape
    <dialog
      ref={dialog}
      id="settings-panel"
      className={styles.panel}
      aria-labelledby="settings-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop lands on the dialog element, outside its box: it closes the dialog.
        const box = e.currentTarget.getBoundingClientRect();
        const outside =
          e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom;
        if (e.target === e.currentTarget && outside) onClose();
      }}
      data-testid="settings-panel"
    >
      <header className={styles.header}>
        <h2 id="settings-title">Settings</h2>
        <button type="button" onClick={onClose} className={styles.close} data-testid="settings-close">
          Close
        </button>
      </header>
      <label className={styles.field}>
        Model
        <select
          ref={first}
          value={chosenBase ?? ''}
          onChange={(e) => set({ model: e.target.value, precision: null })}
          data-testid="setting-model"
        >
          {baseNames.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        Precision
        <select
          value={settings.precision ?? ''}
          onChange={(e) => set({ precision: (e.target.value || null) as Precision | null })}
          data-testid="setting-precision"
        >
          <option value="">default</option>
          {precisions.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        Strategy
        <select
          value={strategy}
          onChange={(e) => set(strategyPatch(e.target.value as Strategy, settings))}
          data-testid="setting-strategy"
        >
          <option value="GREEDY">Greedy (most likely word)</option>
          <option value="BEAM">Beam search (with alternatives)</option>
          <option value="SAMPLE">Sampling (varied answers)</option>
        </select>
      </label>
      {/* Every numeric option the API publishes for this strategy, in its order, with its range. */}
      {Object.values(ranges).map((o) =>
        o && o.type !== 'ENUM' && o.strategies.includes(strategy) ? (
          <NumberField
            key={o.name}
            label={LABELS[o.name] ?? o.name}
            hint={o.description}
            name={o.name as NumericKey}
            step={o.type === 'INT' ? 1 : 0.05}
            {...field}
          />
        ) : null,
      )}
      <p className={styles.note}>
        Empty fields use the model’s defaults. Settings are kept with this conversation.
      </p>
    </dialog>
  );
}

/** Short names for the form; the API's description of each option is shown under it. */
const LABELS: Record<string, string> = {
  maxNewTokens: 'Max new tokens',
  minNewTokens: 'Min new tokens',
  numBeams: 'Beams',
  numReturnSequences: 'Alternatives shown',
  lengthPenalty: 'Length penalty',
  temperature: 'Temperature',
  topK: 'Top-k (0 = off)',
  topP: 'Top-p',
  seed: 'Seed',
  repetitionPenalty: 'Repetition penalty',
};

/** Switching to beam search without a width picks 3 beams and shows all 3, as original BLIP did. */
function strategyPatch(strategy: Strategy, settings: Settings): Settings {
  if (strategy === 'BEAM' && !settings.numBeams) return { strategy, numBeams: 3, numReturnSequences: 3 };
  return { strategy };
}
