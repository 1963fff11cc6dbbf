'use client';
// Light, dark, or as the system prefers: kept in localStorage and applied to <html data-theme> (lib/theme.ts applies
// it before the first paint).
import { useEffect, useState } from 'react';
import { THEME_STORAGE } from '../lib/theme.js';
import styles from './ChatApp.module.css';

export type Theme = 'system' | 'light' | 'dark';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<Theme, string> = { system: 'Auto', light: 'Light', dark: 'Dark' };

function apply(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** One button that cycles system → light → dark. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>('system');
  useEffect(() => {
    const stored = localStorage.getItem(THEME_STORAGE);
    if (stored === 'light' || stored === 'dark') setTheme(stored);
  }, []);
  const change = () => {
    const next = NEXT[theme];
    setTheme(next);
    apply(next);
    if (next === 'system') localStorage.removeItem(THEME_STORAGE);
    else localStorage.setItem(THEME_STORAGE, next);
  };
  return (
    <button
      type="button"
      className={styles.textButton}
      onClick={change}
      title="Change the colour theme"
      aria-label={`Colour theme: ${LABEL[theme]} (change)`}
      data-testid="theme-toggle"
      data-theme={theme}
    >
      {LABEL[theme]}
    </button>
  );
}
