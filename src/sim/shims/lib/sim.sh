# shellcheck shell=bash
# Simulator plumbing shared by the shims that act rather than read: the speed factor (every delay
# is scaled by it), the shim line protocol of the control API, and container log stamping.

# sim_sleep_ms MS: sleeps MS milliseconds scaled by the simulation speed ($SIM_STATE/speed_permille).
sim_sleep_ms() {
  local permille=1000 ms
  [[ -r $SIM_STATE/speed_permille ]] && read -r permille <"$SIM_STATE/speed_permille"
  ms=$(($1 * permille / 1000))
  ((ms > 0)) || return 0
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
}

# proto_call PATH ARG…: POSTs the args NUL-separated to the control API and replays the answer:
# `o` lines to stdout, `e` lines to stderr, a final `x<code>` as this process's exit status.
# A throwaway container's mounts (SIM_BINDS, '|'-separated) go along as a header.
proto_call() {
  local path=$1 line code=1
  shift
  while IFS= read -r line || [[ -n $line ]]; do
    case $line in
      o*) printf '%s\n' "${line:1}" ;;
      e*) printf '%s\n' "${line:1}" >&2 ;;
      x*) code=${line:1} ;;
    esac
  done < <(printf '%s\0' "$@" | curl -sS -N ${SIM_BINDS:+-H "X-Sim-Binds: $SIM_BINDS"} --data-binary @- "$SIM_CONTROL_URL$path" 2>/dev/null)
  exit "$code"
}

# stamp LOGFILE: appends stdin to a container's log, one docker-stamped (RFC 3339, ns) line at a time.
stamp() {
  local line t
  export TZ=UTC0
  exec 8>>"$1"
  while IFS= read -r line || [[ -n $line ]]; do
    t=$EPOCHREALTIME
    printf '%(%Y-%m-%dT%H:%M:%S)T.%s000Z %s\n' "${t%[.,]*}" "${t#*[.,]}" "$line" >&8
  done
}

# container_env NAME → CENV: the environment of a process inside container NAME on this node.
container_env() {
  local root=${SIM_STATE%/state}
  CENV=(
    "HOME=$HOME" USER=root LOGNAME=root "HOSTNAME=${F_HOSTNAME:-spark}" LANG=C.UTF-8 SHELL=/bin/bash
    "PATH=$root/shims/container-bin:$root/shims/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    "SIM_NODE=$SIM_NODE" "SIM_STATE=$SIM_STATE" "SIM_CONTROL_URL=$SIM_CONTROL_URL" "SIM_CONTAINER=$1"
  )
}
