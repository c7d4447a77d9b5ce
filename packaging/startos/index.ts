// The StartOS package's entry point (what start-cli bundles): README "Install on StartOS".
import { buildManifest, type T } from '@start9labs/start-sdk';
import { sdk } from './sdk.js';
import { manifest as sdkManifest } from './manifest.js';
import { versionGraph } from './versions/index.js';
import { setInterfaces } from './interfaces.js';
import { actions } from './actions/index.js';
import { main } from './main.js';

export { main, actions };
export const { createBackup, restoreInit } = sdk.setupBackups(async () => sdk.Backups.ofVolumes('main'));
export const init = sdk.setupInit(restoreInit, versionGraph, setInterfaces, actions);
export const uninit = sdk.setupUninit(versionGraph);
export const manifest = buildManifest(versionGraph, sdkManifest);

// Compile-time check: these exports are what StartOS loads from a package (the SDK's ABI).
const exported: T.ABI = { createBackup, main, init, uninit, manifest, actions };
void exported;
