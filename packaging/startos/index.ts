// The StartOS package's entry point (what start-cli bundles): README "Install on StartOS".
import { buildManifest } from '@start9labs/start-sdk';
import { sdk } from './sdk.js';
import { manifest as sdkManifest } from './manifest.js';
import { versionGraph } from './versions/index.js';
import { setInterfaces } from './interfaces.js';
import { actions } from './actions/index.js';

export { main } from './main.js';
export { actions } from './actions/index.js';

export const { createBackup, restoreInit } = sdk.setupBackups(async () => sdk.Backups.ofVolumes('main'));
export const init = sdk.setupInit(restoreInit, versionGraph, setInterfaces, actions);
export const uninit = sdk.setupUninit(versionGraph);
export const manifest = buildManifest(versionGraph, sdkManifest);
