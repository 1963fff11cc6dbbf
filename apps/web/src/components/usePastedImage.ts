'use client';
// Pasting an image anywhere on the page starts a conversation about it; pasted text is left alone.
import { useEffect } from 'react';

/** Calls `onFile` with the first image file of a paste. */
export function usePastedImage(onFile: (file: File) => void): void {
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const file = Array.from(event.clipboardData?.files ?? []).find((f) => f.type.startsWith('image/'));
      if (!file) return;
      event.preventDefault();
      onFile(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [onFile]);
}
