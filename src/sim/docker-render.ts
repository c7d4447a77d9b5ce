// Docker's on-the-wire shapes for a simulated container: the `docker inspect` object (same key
// order and 4-space indent as the real CLI) and the C_* record the docker shim sources.
import { createHash } from 'node:crypto';
import { envFile } from './fsutil.js';

export type ContainerStatus = 'created' | 'running' | 'exited' | 'restarting';

export interface ContainerView {
  name: string;
  id: string;
  image: string;
  /** The image's id when the container was created (defaults to the image name's id). */
  imageId?: string;
  /** `--rm`: docker removes the container when it stops. */
  autoRemove?: boolean;
  command: string[];
  status: ContainerStatus;
  created: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  exitCode: number;
  pid: number;
  restarts: number;
  network: string;
  ports: string;
  restartPolicy: string;
  privileged: boolean;
  gpus: boolean;
  binds: string[];
  env: string[];
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC 3339 with nanoseconds, as dockerd prints timestamps. */
export function dockerTime(d: Date | null): string {
  if (!d) return ZERO_TIME;
  const nanos = String((d.getTime() * 7919) % 1_000_000).padStart(6, '0');
  return d.toISOString().replace(/Z$/, `${nanos}Z`);
}

export const imageId = (image: string): string =>
  `sha256:${createHash('sha256').update(`image:${image}`).digest('hex')}`;

function stateObject(c: ContainerView): Record<string, unknown> {
  return {
    Status: c.status,
    Running: c.status === 'running',
    Paused: false,
    Restarting: c.status === 'restarting',
    OOMKilled: false,
    Dead: false,
    Pid: c.status === 'running' ? c.pid : 0,
    ExitCode: c.exitCode,
    Error: '',
    StartedAt: dockerTime(c.startedAt),
    FinishedAt: dockerTime(c.finishedAt),
  };
}

export function inspectObject(c: ContainerView, hostname: string): Record<string, unknown> {
  const [path, ...args] = c.command;
  const base = `/var/lib/docker/containers/${c.id}`;
  return {
    Id: c.id,
    Created: dockerTime(c.created),
    Path: path ?? '',
    Args: args,
    State: stateObject(c),
    Image: c.imageId ?? imageId(c.image),
    ResolvConfPath: `${base}/resolv.conf`,
    HostnamePath: `${base}/hostname`,
    HostsPath: `${base}/hosts`,
    LogPath: `${base}/${c.id}-json.log`,
    Name: `/${c.name}`,
    RestartCount: c.restarts,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: c.privileged ? 'unconfined' : 'docker-default',
    ExecIDs: null,
    HostConfig: {
      Binds: c.binds,
      NetworkMode: c.network,
      RestartPolicy: { Name: c.restartPolicy, MaximumRetryCount: 0 },
      AutoRemove: c.autoRemove ?? false,
      Privileged: c.privileged,
      IpcMode: c.privileged ? 'host' : 'private',
      ShmSize: 67108864,
      Runtime: 'runc',
      DeviceRequests: c.gpus
        ? [{ Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: {} }]
        : null,
    },
    Mounts: c.binds.map((b) => {
      const [source, destination] = b.split(':');
      return {
        Type: 'bind',
        Source: source,
        Destination: destination,
        Mode: '',
        RW: true,
        Propagation: 'rprivate',
      };
    }),
    Config: {
      Hostname: c.network === 'host' ? hostname : c.id.slice(0, 12),
      Domainname: '',
      User: '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: c.env,
      Cmd: c.command,
      Image: c.image,
      Volumes: null,
      WorkingDir: '',
      Entrypoint: null,
      OnBuild: null,
      Labels: {},
    },
    NetworkSettings: { Bridge: '', SandboxID: c.id.slice(0, 64), Ports: {}, Networks: { [c.network]: {} } },
  };
}

/** The docker inspect object, indented as it sits inside the CLI's top-level array. */
export function inspectText(c: ContainerView, hostname: string): string {
  return JSON.stringify(inspectObject(c, hostname), null, 4)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

export function recordEnv(c: ContainerView): string {
  const epoch = (d: Date | null): number => (d ? Math.floor(d.getTime() / 1000) : 0);
  const created = c.created
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' +0000 UTC');
  return envFile({
    C_NAME: c.name,
    C_ID: c.id,
    C_IMAGE: c.image,
    C_IMAGE_ID: c.imageId ?? imageId(c.image),
    C_CMD: c.command.join(' '),
    C_PATH: c.command[0] ?? '',
    C_STATUS: c.status,
    C_PID: c.status === 'running' ? c.pid : 0,
    C_EXIT: c.exitCode,
    C_STARTED: dockerTime(c.startedAt),
    C_STARTED_EPOCH: epoch(c.startedAt),
    C_FINISHED: dockerTime(c.finishedAt),
    C_FINISHED_EPOCH: epoch(c.finishedAt),
    C_CREATED: dockerTime(c.created),
    C_CREATED_EPOCH: epoch(c.created),
    C_CREATED_AT: created,
    C_RESTARTS: c.restarts,
    C_NETWORK: c.network,
    C_PORTS: c.ports,
    C_RESTART_POLICY: c.restartPolicy,
    C_STATE_JSON: JSON.stringify(stateObject(c)),
  });
}
