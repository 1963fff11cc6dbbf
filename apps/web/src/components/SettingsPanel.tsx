'use client';
// Generation settings and the model/precision choice of the open conversation (saved with it by the API).
import type { ModelInfo, Precision, Settings, Strategy } from '../lib/apiTypes.js';
import { SETTING_LIMITS } from '../lib/settings.js';
import { NumberField } from './NumberField.js';
import styles from './SettingsPanel.module.css';

interface SettingsPanelProps {
  open: boolean;
  settings: Settings;
  models: ModelInfo[];
  onChange: (settings: Settings) => void;
  onClose: () => void;
}

/** The settings drawer; fields that do not apply to the chosen strategy are hidden. */
export function SettingsPanel({ open, settings, models, onChange, onClose }: SettingsPanelProps) {
  const set = (patch: Settings) => onChange({ ...settings, ...patch });
  const strategy = settings.strategy ?? 'GREEDY';
  const baseNames = [...new Set(models.map((m) => m.baseName))];
  const chosenBase = settings.model ?? models.find((m) => m.isDefault)?.baseName ?? baseNames[0];
  const precisions = models.filter((m) => m.baseName === chosenBase).map((m) => m.precision);
  return (
    <aside
      id="settings-panel"
      className={styles.panel}
      aria-label="Generation settings"
      hidden={!open}
      data-testid="settings-panel"
    >
      <header className={styles.header}>
        <h2>Settings</h2>
        <button type="button" onClick={onClose} className={styles.close} data-testid="settings-close">
          Close
        </button>
      </header>
      <label className={styles.field}>
        Model
        <select
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
      <NumberField label="Max new tokens" name="maxNewTokens" settings={settings} onChange={set} />
      {strategy === 'BEAM' && (
        <>
          <NumberField label="Beams" name="numBeams" settings={settings} onChange={set} />
          <NumberField
            label="Alternatives shown"
            name="numReturnSequences"
            settings={settings}
            onChange={set}
            limits={{ min: 1, max: settings.numBeams ?? SETTING_LIMITS.numBeams.max }}
          />
        </>
      )}
      {strategy === 'SAMPLE' && (
        <>
          <NumberField
            label="Temperature"
            name="temperature"
            step={0.05}
            settings={settings}
            onChange={set}
          />
          <NumberField label="Top-k (0 = off)" name="topK" settings={settings} onChange={set} />
          <NumberField label="Top-p" name="topP" step={0.05} settings={settings} onChange={set} />
          <NumberField
            label="Seed"
            name="seed"
            settings={settings}
            onChange={set}
            limits={{ min: 0, max: 2 ** 31 - 1 }}
          />
        </>
      )}
      <NumberField
        label="Repetition penalty"
        name="repetitionPenalty"
        step={0.1}
        settings={settings}
        onChange={set}
      />
      <p className={styles.note}>
        Empty fields use the model’s defaults. Settings are kept with this conversation.
      </p>
    </aside>
  );
}

/** Switching to beam search without a width picks 3 beams and shows all 3, as original BLIP did. */
function strategyPatch(strategy: Strategy, settings: Settings): Settings {
  if (strategy === 'BEAM' && !settings.numBeams) return { strategy, numBeams: 3, numReturnSequences: 3 };
  return { strategy };
}
