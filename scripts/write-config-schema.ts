// Writes config.schema.json from the TypeBox schema (`npm run config:schema`).
import { writeFileSync } from 'node:fs';
import { ConfigFileSchema } from '../src/server/config/schema.js';

writeFileSync(
  new URL('../config.schema.json', import.meta.url),
  `${JSON.stringify(ConfigFileSchema, null, 2)}\n`,
);
console.log('wrote config.schema.json');
