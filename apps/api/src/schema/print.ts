// `npm run schema -w @blip/api`: prints the SDL; `-- --write` updates apps/api/schema.graphql.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSdl } from './index.js';

const sdl = printSdl();
if (process.argv.includes('--write')) {
  writeFileSync(fileURLToPath(new URL('../../schema.graphql', import.meta.url)), sdl);
} else {
  process.stdout.write(sdl);
}
