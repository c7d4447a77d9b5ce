# shellcheck shell=bash
# `docker inspect` / `docker container inspect`: the simulator pre-renders each container's inspect
# object; -f/--format templates resolve the commonly used fields from the C_* record.

inspect_field() { # EXPR → TV
  case $1 in
    .State.Status) TV=$C_STATUS ;;
    .State.Running) [[ $C_STATUS == running ]] && TV=true || TV=false ;;
    .State.Restarting) [[ $C_STATUS == restarting ]] && TV=true || TV=false ;;
    .State.Paused | .State.OOMKilled | .State.Dead) TV=false ;;
    .State.Pid) TV=$C_PID ;;
    .State.ExitCode) TV=$C_EXIT ;;
    .State.Error) TV='' ;;
    .State.StartedAt) TV=$C_STARTED ;;
    .State.FinishedAt) TV=$C_FINISHED ;;
    .RestartCount) TV=$C_RESTARTS ;;
    .Name) TV=/$C_NAME ;;
    .Id | .ID) TV=$C_ID ;;
    .Created) TV=$C_CREATED ;;
    .Image) TV=$C_IMAGE_ID ;;
    .Config.Image) TV=$C_IMAGE ;;
    .Config.Hostname) TV=$F_HOSTNAME ;;
    .Path) TV=$C_PATH ;;
    .HostConfig.NetworkMode) TV=$C_NETWORK ;;
    .HostConfig.RestartPolicy.Name) TV=$C_RESTART_POLICY ;;
    'json .State') TV=$C_STATE_JSON ;;
    'json .') TV=$(<"$CDIR/$C_NAME.inspect.min.json") ;;
    *)
      printf 'template: :1:3: executing "" at <%s>: map has no entry for key "%s"\n' "$1" "${1##*.}" >&2
      return 1 ;;
  esac
}

docker_inspect() { # KIND(object|container) ARGS…
  local kind=$1 fmt='' arg rc=0 objs=() names=() n
  shift
  while (($#)); do
    arg=$1
    case $arg in
      -f | --format) shift; fmt=${1-} ;; --format=* | -f=*) fmt=${arg#*=} ;;
      -s | --size) ;;
      --type) shift; [[ ${1-} == container ]] || kind=other ;; --type=*) [[ ${arg#*=} == container ]] || kind=other ;;
      -*) printf "unknown flag: %s\nSee 'docker inspect --help'.\n" "$arg" >&2; exit 125 ;;
      *) names+=("$arg") ;;
    esac
    shift
  done
  if ((${#names[@]} == 0)); then
    printf '"docker inspect" requires at least 1 argument.\nSee '\''docker inspect --help'\''.\n\nUsage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n\nReturn low-level information on Docker objects\n' >&2
    exit 1
  fi
  for arg in "${names[@]}"; do
    if [[ $kind == other ]] || ! resolve "$arg" || ! load "$RES"; then
      [[ $kind == container ]] && printf 'Error: No such container: %s\n' "$arg" >&2 || printf 'Error: No such object: %s\n' "$arg" >&2
      rc=1
      continue
    fi
    if [[ -n $fmt ]]; then
      render "$fmt" inspect_field || exit 1
      printf '%s\n' "$R"
    else
      objs+=("$(<"$CDIR/$RES.inspect.json")")
    fi
  done
  if [[ -z $fmt ]]; then
    if ((${#objs[@]})); then
      printf '[\n'
      for ((n = 0; n < ${#objs[@]}; n++)); do
        ((n)) && printf ',\n'
        printf '%s' "${objs[n]}"
      done
      printf '\n]\n'
    else
      echo '[]'
    fi
  fi
  return $rc
}
