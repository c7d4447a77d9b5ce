// The daemon: the server from the image (packaging/Dockerfile's CMD), with the `main` volume at
// /data. Settings live in /data/config.yaml ("Configure Sparks" or the dashboard's settings page);
// only what StartOS decides goes in the environment — where to listen, and the names StartOS
// serves the interfaces under (the server's DNS-rebinding guard answers only to known names).
import { sdk } from './sdk.js';

export const SERVER_PORT = 9999;

export const main = sdk.setupMain(async ({ effects }) => {
  const domains = await sdk.host
    .getOwn(effects, 'main', (host) =>
      host ? [...Object.keys(host.publicDomains), ...Object.keys(host.privateDomains)].sort() : [],
    )
    .const();
  const mounts = sdk.Mounts.of().mountVolume({
    volumeId: 'main',
    subpath: null,
    mountpoint: '/data',
    readonly: false,
  });
  const server = sdk.SubContainer.of(effects, { imageId: 'main' }, mounts, 'spark-control');
  return sdk.Daemons.of(effects)
    .addOneshot('data-owner', {
      // The server runs as the image's unprivileged user; the volume starts out owned by root.
      subcontainer: server,
      exec: { command: ['chown', '-R', 'node:node', '/data'], user: 'root' },
      requires: [],
    })
    .addDaemon('primary', {
      subcontainer: server,
      exec: {
        command: ['node', '--max-semi-space-size=32', 'dist/server/main.js'],
        cwd: '/app',
        user: 'node',
        env: {
          NODE_ENV: 'production',
          DATA_DIR: '/data',
          PORT: String(SERVER_PORT),
          HOST: '0.0.0.0',
          // LAN (.local) and Tor (.onion) addresses, plus any domain the owner added in StartOS.
          ALLOWED_HOSTS: ['*.local', '*.onion', ...domains].join(','),
        },
      },
      ready: {
        display: 'Web interface',
        fn: () =>
          sdk.healthCheck.checkWebUrl(effects, `http://127.0.0.1:${SERVER_PORT}/api/meta`, {
            successMessage: 'Spark Control is ready',
            errorMessage: 'Spark Control is not answering on /api/meta',
          }),
        // Startup: config validation, SSH key, database migrations.
        gracePeriod: 30_000,
      },
      requires: ['data-owner'],
    });
});
