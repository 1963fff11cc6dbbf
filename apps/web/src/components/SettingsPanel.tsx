'use client';
// Generation settings and the model/precision choice of the open conversation (saved with it by the API). A modal
// dialog: it takes the focus when it opens, a backdrop keeps it from hiding Send under a live page, Escape closes it.
import { useEffect, useRef } from 'react';
import type { ModelInfo, Precision, Settings, Strategy } from '../lib/api.js';
import type { OptionRanges } from '../lib/settings.js';
import { NumberField } from './NumberField.js';
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
      <NumberField label="Max new tokens" name="maxNewTokens" {...field} />
      {strategy === 'BEAM' && (
        <>
          <NumberField label="Beams" name="numBeams" {...field} />
          <NumberField label="Alternatives shown" name="numReturnSequences" {...field} />
        </>
      )}
      {strategy === 'SAMPLE' && (
        <>
          <NumberField label="Temperature" name="temperature" step={0.05} {...field} />
          <NumberField label="Top-k (0 = off)" name="topK" {...field} />
          <NumberField label="Top-p" name="topP" step={0.05} {...field} />
          <NumberField label="Seed" name="seed" {...field} />
        </>
      )}
      <NumberField label="Repetition penalty" name="repetitionPenalty" step={0.1} {...field} />
      <p className={styles.note}>
        Empty fields use the model’s defaults. Settings are kept with this conversation.
      </p>
    </dialog>
  );
}

/** Switching to beam search without a width picks 3 beams and shows all 3, as original BLIP did. */
function strategyPatch(strategy: Strategy, settings: Settings): Settings {
  if (strategy === 'BEAM' && !settings.numBeams) return { strategy, numBeams: 3, numReturnSequences: 3 };
  return { strategy };
}
