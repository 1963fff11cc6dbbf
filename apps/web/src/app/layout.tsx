import type { ReactNode } from 'react';
import './globals.css';

export const metadata = {
  title: 'BLIP chat',
  description: 'Ask questions about an image, answered locally.',
};

/** The document shell shared by every page. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
