// The remote commands of a NIM install, built with `sh` from validated values. The NGC key is never
// part of any command text: `docker login` reads it from stdin (--password-stdin), and `docker run`
// gets it through the environment — the remote shell reads it from stdin into an exported variable
// and `-e NGC_API_KEY` (a name without `=value`) makes docker copy it from there. Nothing shows it
// in `ps`, the sshd's command log or shell history.
import { joinCommands, pathArg, raw, sh, type ShellCommand } from '../../platform/remote/sh.js';
import { NIM_CACHE_DIR, NIM_UID } from './catalog.js';
import type { ValidInstall } from './validate.js';

export const NGC_REGISTRY = 'nvcr.io';

/** True when the image comes from NGC's registry (and so needs `docker login nvcr.io`). */
export const fromNgc = (image: string): boolean => image.startsWith(`${NGC_REGISTRY}/`);

export const loginCommand = (): ShellCommand =>
  sh`docker login ${NGC_REGISTRY} -u ${'$oauthtoken'} --password-stdin`;

/** After the pull the stored credential is not needed (restarts use the local image): remove it. */
export const logoutCommand = (): ShellCommand => sh`docker logout ${NGC_REGISTRY}`;

export const pullCommand = (image: string): ShellCommand => sh`docker pull ${image}`;

/** `<status> <restart count>` of a container; exit 1 with "No such object" when there is none. */
export const stateCommand = (container: string): ShellCommand =>
  sh`docker inspect --format ${'{{.State.Status}} {{.RestartCount}}'} ${container}`;

export const logsTailCommand = (container: string): ShellCommand =>
  sh`docker logs --tail 20 ${container} 2>&1`;

export const removeCommand = (container: string): ShellCommand => sh`docker rm -f ${container}`;

/** `-v` source:target for the cache: a named volume as is, a host path with `~` as "$HOME". */
export function mountArg(volume: ValidInstall['volume']): ShellCommand {
  if (volume.kind === 'named') return sh`${`${volume.value}:${NIM_CACHE_DIR}`}`;
  return sh`${pathArg(volume.value)}${raw(`:${NIM_CACHE_DIR}`)}`;
}

/**
 * Creates the cache and hands it to uid 1000 (the user NIM containers run as). The chown runs in a
 * throwaway container of the NIM image itself, as root: that works for named volumes and host
 * paths alike, needs no sudo on the Spark (the SSH user may not own the path, and docker creates
 * missing bind sources as root) and no extra image from Docker Hub (busybox would be one more pull,
 * rate-limited, for an arm64 host) — the NIM image is already local and has coreutils.
 */
export function cacheCommand(v: Pick<ValidInstall, 'volume' | 'image'>): ShellCommand {
  const create =
    v.volume.kind === 'named'
      ? sh`docker volume create ${v.volume.value}`
      : sh`mkdir -p ${pathArg(v.volume.value)}`;
  const chown = sh`docker run --rm --user 0:0 --entrypoint chown -v ${mountArg(v.volume)} ${v.image} -R ${`${NIM_UID}:${NIM_UID}`} ${NIM_CACHE_DIR}`;
  return joinCommands([create, chown]);
}

/** The env the container gets besides NGC_API_KEY: the request's, with NIM_HTTP_API_PORT = port. */
export function containerEnv(v: Pick<ValidInstall, 'env' | 'port'>): string[] {
  const env = v.env.filter(([k]) => k !== 'NIM_HTTP_API_PORT').map(([k, val]) => `${k}=${val}`);
  return [`NIM_HTTP_API_PORT=${v.port}`, ...env];
}

/**
 * `docker run -d --gpus all …` with the key read from stdin (send `<key>\n`). The key lives only in
 * the remote shell's and docker's environment, never in an argument.
 */
export function runCommand(v: ValidInstall): ShellCommand {
  const readKey = raw('{ IFS= read -r NGC_API_KEY || [ -n "$NGC_API_KEY" ]; } && export NGC_API_KEY');
  const env = containerEnv(v).flatMap((e) => ['-e', e]);
  const run = sh`exec docker run -d --gpus all --restart unless-stopped --shm-size=8GB -p ${`${v.port}:${v.port}`} -v ${mountArg(v.volume)} -e NGC_API_KEY ${env} --name ${v.container} ${v.image}`;
  return joinCommands([readKey, run]);
}
