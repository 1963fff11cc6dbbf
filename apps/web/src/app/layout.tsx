import type { ReactNode } from 'react';
import { themeScript } from '../lib/theme.js';
import './globals.css';

export const metadata = {
  title: 'BLIP chat',
  description: 'Ask questions about an image, answered locally.',
};

/** The document shell shared by every page; the theme is set before the first paint. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours, no user input */}
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
