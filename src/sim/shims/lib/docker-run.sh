# shellcheck shell=bash
# `docker exec`, `docker run` and `docker rm`. A process "inside" a container is a real bash on
# the node with the container's environment: container-only tools (vllm, python3, ray) first on
# PATH, SIM_CONTAINER set, and /proc/1/fd/1 (the container's PID 1 stdout, i.e. its log) mapped
# to a pipe that stamps lines into `docker logs`. `-d` processes get their own session and are
# registered with the daemon, which kills them when the container stops.
. "$L/sim.sh"
. "$L/rootfs.sh"

# in_container NAME LOGFILE DETACH WORKDIR ARGV…: runs ARGV as a process of container NAME.
in_container() {
  local name=$1 log=$2 detach=$3 workdir=$4 a cpath pid
  shift 4
  local -a argv=()
  # Absolute paths under the container's own filesystem (lib/rootfs.sh) reach its files there.
  for a in "$@"; do
    rootfs_map "$name" "${a//\/proc\/1\/fd\/[12]//dev/fd/9}"
    argv+=("$RP")
  done
  rootfs_map "$name" "$workdir" && workdir=$RP
  container_env "$name"
  CENV+=("${EXTRA_ENV[@]}")
  cpath=${CENV[6]#PATH=}
  if [[ ${argv[0]} != */* ]] && ! PATH=$cpath type -P "${argv[0]}" >/dev/null; then
    printf 'OCI runtime exec failed: exec failed: unable to start container process: exec: "%s": executable file not found in $PATH: unknown\n' "${argv[0]}" >&2
    exit 127
  fi
  [[ -d $workdir ]] || workdir=$HOME
  # shellcheck disable=SC2016 # expanded by the container's bash
  local boot='. "$1"; exec 9> >(stamp "$2"); shift 2; exec "$@"'
  if ((detach)); then
    (cd "$workdir" && exec setsid env -i "${CENV[@]}" bash -c "$boot" _ "$L/sim.sh" "$log" "${argv[@]}") \
      </dev/null >/dev/null 2>&1 &
    pid=$!
    curl -sS -m 10 --data-binary "$pid" "$SIM_CONTROL_URL/nodes/$SIM_NODE/containers/$name/procs" >/dev/null 2>&1
    exit 0
  fi
  cd "$workdir" || exit 1
  if [[ -r $SIM_STATE/rootfs/$name.paths ]]; then
    # Messages name the container's paths (`sha256sum /opt/…`), never the simulator's.
    {
      env -i "${CENV[@]}" bash -c "$boot" _ "$L/sim.sh" "$log" "${argv[@]}" 2>&1 1>&3 3>&- |
        rootfs_unmap "$name" >&2
      exit "${PIPESTATUS[0]}"
    } 3>&1 | rootfs_unmap "$name"
    exit "${PIPESTATUS[0]}"
  fi
  exec env -i "${CENV[@]}" bash -c "$boot" _ "$L/sim.sh" "$log" "${argv[@]}"
}

docker_exec() {
  local detach=0 workdir='' a
  EXTRA_ENV=()
  while (($#)); do
    case $1 in
      -d | --detach) detach=1 ;;
      -i | --interactive | -t | --tty | -it | -ti | --privileged) ;;
      -dit | -itd | -id | -di | -dt | -td) detach=1 ;;
      -e | --env) shift; EXTRA_ENV+=("${1-}") ;;
      --env=* | -e=*) EXTRA_ENV+=("${1#*=}") ;;
      -w | --workdir) shift; workdir=${1-} ;;
      --workdir=* | -w=*) workdir=${1#*=} ;;
      -u | --user | --detach-keys | --env-file) shift ;;
      --user=* | --detach-keys=* | --env-file=*) ;;
      -*) printf "unknown flag: %s\nSee 'docker exec --help'.\n" "$1" >&2; exit 125 ;;
      *) break ;;
    esac
    shift
  done
  (($# >= 2)) || usage_error exec 'at least 2 arguments' 'exec [OPTIONS] CONTAINER COMMAND [ARG...]' \
    'Execute a command in a running container'
  a=$1
  shift
  resolve "$a" && load "$RES" || { no_such "$a"; exit 1; }
  if [[ $C_STATUS != running ]]; then
    printf 'Error response from daemon: container %s is not running\n' "$C_ID" >&2
    exit 1
  fi
  in_container "$RES" "$SIM_STATE/logs/$RES.log" "$detach" "${workdir:-$HOME}" "$@"
}

# env_arg K=V | K: like docker, a bare name copies the variable from this environment (and is
# dropped when unset), so a secret can reach a container without ever being an argument.
env_arg() {
  if [[ $1 == *=* ]]; then envs+=("$1")
  elif [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && [[ -n ${!1+set} ]]; then envs+=("$1=${!1}"); fi
}

# Random names like docker's (adjective_surname) for `docker run` without --name.
random_name() {
  local adj=(admiring bold eager focused gifted happy jolly keen loving nifty quirky serene)
  local who=(turing hopper lovelace curie noether ritchie thompson shannon dijkstra knuth)
  RNAME=${adj[RANDOM % ${#adj[@]}]}_${who[RANDOM % ${#who[@]}]}
}

docker_run() {
  local detach=0 rm=0 name='' entrypoint='' ep_set=0 image='' priv=0 net=default gpus=0 workdir=''
  local a
  local -a fields=() envs=() binds=() ports=()
  local restart=''
  EXTRA_ENV=()
  while (($#)); do
    case $1 in
      -d | --detach) detach=1 ;;
      --rm) rm=1 ;;
      -i | --interactive | -t | --tty | -it | -ti | --init | --read-only) ;;
      -dit | -itd | -id | -di | -dt | -td) detach=1 ;;
      --privileged) priv=1 ;;
      --name) shift; name=${1-} ;;
      --name=*) name=${1#*=} ;;
      --entrypoint) shift; entrypoint=${1-}; ep_set=1 ;;
      --entrypoint=*) entrypoint=${1#*=}; ep_set=1 ;;
      -e | --env) shift; env_arg "${1-}" ;;
      --env=* | -e=*) env_arg "${1#*=}" ;;
      -p | --publish) shift; ports+=("${1-}") ;;
      --publish=*) ports+=("${1#*=}") ;;
      --restart) shift; restart=${1-} ;;
      --restart=*) restart=${1#*=} ;;
      -v | --volume) shift; binds+=("${1-}") ;;
      --volume=* | -v=*) binds+=("${1#*=}") ;;
      --network | --net) shift; net=${1-} ;;
      --network=* | --net=*) net=${1#*=} ;;
      --gpus) shift; gpus=1 ;;
      --gpus=*) gpus=1 ;;
      -w | --workdir) shift; workdir=${1-} ;;
      --workdir=*) workdir=${1#*=} ;;
      --ipc | --ulimit | --shm-size | --memory | -m | --memory-swap | --pids-limit | \
        --cap-add | --device | -u | --user | --runtime | --label | -l | --hostname | \
        --add-host | --env-file | --platform | --pull) shift ;;
      --*=*) ;;
      -*) printf "unknown flag: %s\nSee 'docker run --help'.\n" "$1" >&2; exit 125 ;;
      *) image=$1; shift; break ;;
    esac
    shift
  done
  [[ -n $image ]] || usage_error run 'at least 1 argument' 'run [OPTIONS] IMAGE [COMMAND] [ARG...]' \
    'Create and run a new container from an image'
  if ! image_known "$image"; then
    printf "Unable to find image '%s:latest' locally\n" "${image%:latest}" >&2
    printf "docker: Error response from daemon: pull access denied for %s, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n\nRun 'docker run --help' for more information\n" "${image%:latest}" >&2
    exit 125
  fi
  local -a cmd=("$@")
  ((ep_set)) && [[ -n $entrypoint ]] && cmd=("$entrypoint" "${cmd[@]}")
  ((${#cmd[@]})) || cmd=(bash)
  if ((!detach)); then
    # A throwaway container: the command runs in the image's environment, nothing is recorded;
    # its mounts travel with the process (SIM_BINDS) so vllm/python3 see files through them.
    EXTRA_ENV=("${envs[@]}")
    ((${#binds[@]})) && EXTRA_ENV+=("SIM_BINDS=$(IFS='|'; printf '%s' "${binds[*]}")")
    in_container "${name:-_}" /dev/null 0 "${workdir:-$HOME}" "${cmd[@]}"
  fi
  [[ -n $name ]] || { random_name; name=$RNAME; }
  fields=("image=${image%:latest}" "rm=$rm" "privileged=$priv" "network=$net" "gpus=$gpus")
  for a in "${envs[@]}"; do fields+=("env=$a"); done
  for a in "${binds[@]}"; do fields+=("bind=$a"); done
  for a in "${ports[@]}"; do fields+=("port=$a"); done
  [[ -n $restart ]] && fields+=("restart=$restart")
  for a in "${cmd[@]}"; do fields+=("cmd=$a"); done
  local out
  if ! out=$(printf '%s\0' "${fields[@]}" | curl -sS -m 300 --data-binary @- -w '\n%{http_code}' \
    "$SIM_CONTROL_URL/nodes/$SIM_NODE/containers/$name/run" 2>/dev/null); then
    echo 'docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2
    exit 125
  fi
  local code=${out##*$'\n'} body=${out%$'\n'*}
  if [[ $code == 2?? ]]; then
    printf '%s\n' "$body"
    exit 0
  fi
  printf 'docker: Error response from daemon: %s\n\nRun '\''docker run --help'\'' for more information\n' "$body" >&2
  exit 125
}

docker_rm() {
  local force=0 rc=0 arg out code
  local -a names=()
  while (($#)); do
    case $1 in
      -f | --force) force=1 ;;
      -v | --volumes | -l | --link | -fv | -vf) [[ $1 == *f* ]] && force=1 ;;
      -*) printf "unknown flag: %s\nSee 'docker rm --help'.\n" "$1" >&2; exit 125 ;;
      *) names+=("$1") ;;
    esac
    shift
  done
  ((${#names[@]})) || usage_error rm 'at least 1 argument' 'rm [OPTIONS] CONTAINER [CONTAINER...]' \
    'Remove one or more containers'
  for arg in "${names[@]}"; do
    if ! resolve "$arg"; then
      no_such "$arg"
      rc=1
      continue
    fi
    out=$(curl -sS -m 300 -X POST -w '\n%{http_code}' "$SIM_CONTROL_URL/nodes/$SIM_NODE/containers/$RES/rm?force=$force" 2>/dev/null)
    code=${out##*$'\n'}
    case $code in
      2??) printf '%s\n' "$arg" ;;
      *) printf 'Error response from daemon: %s\n' "${out%$'\n'*}" >&2; rc=1 ;;
    esac
  done
  exit $rc
}
