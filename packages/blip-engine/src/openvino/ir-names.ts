// Every tensor name of a port, read from the IR .xml. The C API only exposes one name per port (ov_port_get_any_name);
// the IR records them all in `names="a,b"` attributes on layer ports (a literal comma inside a name is written "\,").
import { readFileSync } from 'node:fs';

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
};

/** Split one `names` attribute value on unescaped commas. */
function splitNames(value: string): string[] {
  const text = value.replace(/&(amp|lt|gt|quot|apos);/g, (e) => ENTITIES[e] ?? e);
  return text
    .split(/(?<!\\),/)
    .map((n) => n.replace(/\\,/g, ',').trim())
    .filter((n) => n.length > 0);
}

/** Map from each tensor name in an IR file to the full list of names of its port (empty map if unreadable). */
export function irTensorNames(xmlPath: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  let xml: string;
  try {
    xml = readFileSync(xmlPath, 'utf8');
  } catch {
    return groups;
  }
  for (const match of xml.matchAll(/<port\b[^>]*\bnames="([^"]*)"/g)) {
    const names = splitNames(match[1] ?? '');
    for (const name of names) if (!groups.has(name)) groups.set(name, names);
  }
  return groups;
}
