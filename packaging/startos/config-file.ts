// The server's config file on the `main` volume (/data/config.yaml in the container). Any mapping
// is accepted here: the server validates it at start-up (README "Configuration reference").
import { FileHelper, z } from '@start9labs/start-sdk';
import { sdk } from './sdk.js';

export const configFile = FileHelper.yaml(
  { base: sdk.volumes.main, subpath: 'config.yaml' },
  z.record(z.string(), z.unknown()),
);
