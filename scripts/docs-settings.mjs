// Writes the table of settings of src/config/settings.ts into docs/configuration.md, between its markers
// (`npm run docs:settings`, after `npm run build`). test/unit/config/settings-doc.test.ts fails while it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const { withSettingsTable } = createRequire(import.meta.url)(path.join(root, 'dist', 'config', 'settings-doc.js'));
const file = path.join(root, 'docs', 'configuration.md');
writeFileSync(file, withSettingsTable(readFileSync(file, 'utf8')));
