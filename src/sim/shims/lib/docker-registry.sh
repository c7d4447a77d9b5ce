# shellcheck shell=bash
# `docker login|logout|pull|volume` against the simulated nvcr.io. The password travels from stdin
# to the simulator through curl's stdin (never an argument), as the real CLI keeps it off argv.
# Pull output follows the CLI: without a TTY (any SSH exec without a pty) progress bars are not
# printed, only each layer's status lines; on a TTY the `Downloading [==>   ]  12.3MB/1.2GB` bars.
. "$L/sim.sh"

docker_login() {
  local user='' pw='' stdin=0 server=docker.io out code
  while (($#)); do
    case $1 in
      -u | --username) shift; user=${1-} ;;
      --username=*) user=${1#*=} ;;
      -p | --password) shift; pw=${1-}; echo 'WARNING! Using --password via the CLI is insecure. Use --password-stdin.' >&2 ;;
      --password=*) pw=${1#*=}; echo 'WARNING! Using --password via the CLI is insecure. Use --password-stdin.' >&2 ;;
      --password-stdin) stdin=1 ;;
      -*) printf "unknown flag: %s\nSee 'docker login --help'.\n" "$1" >&2; exit 125 ;;
      *) server=$1 ;;
    esac
    shift
  done
  if ((stdin)); then
    [[ -n $user ]] || { echo 'Must provide --username with --password-stdin' >&2; exit 1; }
    pw=$(cat)
    pw=${pw%$'\n'}
    pw=${pw%$'\r'}
  fi
  [[ -n $pw ]] || { echo 'Error: Cannot perform an interactive login from a non TTY device' >&2; exit 1; }
  out=$(printf '%s' "$pw" | curl -sS -m 60 --data-binary @- -w '\n%{http_code}' -H "X-Sim-User: $user" \
    "$SIM_CONTROL_URL/nodes/$SIM_NODE/registry/login?server=$server" 2>/dev/null) ||
    { echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2; exit 1; }
  code=${out##*$'\n'}
  if [[ $code == 2?? ]]; then
    printf "WARNING! Your password will be stored unencrypted in %s/.docker/config.json.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/engine/reference/commandline/login/#credential-stores\n\n" "$HOME" >&2
    echo 'Login Succeeded'
    exit 0
  fi
  printf 'Error response from daemon: %s\n' "${out%$'\n'*}" >&2
  exit 1
}

docker_logout() {
  local server=${1:-docker.io}
  curl -sS -m 30 -X POST "$SIM_CONTROL_URL/nodes/$SIM_NODE/registry/logout?server=$server" >/dev/null 2>&1
  echo "Removing login credentials for $server"
}

# human_bytes BYTES → HB as docker's progress prints sizes (12.3MB, 1.21GB).
human_bytes() {
  local b=$1
  if ((b >= 1000000000)); then HB="$((b / 1000000000)).$(((b % 1000000000) / 10000000))GB"
  elif ((b >= 1000000)); then HB="$((b / 1000000)).$(((b % 1000000) / 100000))MB"
  elif ((b >= 1000)); then HB="$((b / 1000)).$(((b % 1000) / 100))kB"
  else HB="${b}B"; fi
}

docker_pull() {
  local image='' out code tag path digest id bytes i step ms tty=0 done_b
  local -a ids=() sizes=()
  while (($#)); do
    case $1 in
      -q | --quiet | -a | --all-tags) ;;
      --platform) shift ;;
      --platform=*) ;;
      -*) printf "unknown flag: %s\nSee 'docker pull --help'.\n" "$1" >&2; exit 125 ;;
      *) image=$1 ;;
    esac
    shift
  done
  [[ -n $image ]] || usage_error pull 'exactly 1 argument' 'pull [OPTIONS] NAME[:TAG|@DIGEST]' 'Download an image from a registry'
  [[ -t 1 ]] && tty=1
  tag=latest
  [[ ${image##*/} == *:* ]] && tag=${image##*:}
  path=${image%:"$tag"}
  out=$(printf '%s' "$image" | curl -sS -m 60 --data-binary @- -w '\n%{http_code}' \
    "$SIM_CONTROL_URL/nodes/$SIM_NODE/registry/manifest" 2>/dev/null) ||
    { echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2; exit 1; }
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  if [[ $code != 2?? ]]; then
    printf 'Error response from daemon: %s\n' "$out" >&2
    exit 1
  fi
  while read -r kind a b; do
    case $kind in
      digest) digest=$a ;;
      layer) ids+=("$a"); sizes+=("$b") ;;
    esac
  done <<<"$out"
  if image_known "$path"; then
    printf '%s: Pulling from %s\nDigest: %s\nStatus: Image is up to date for %s:%s\n%s:%s\n' \
      "$tag" "${path#*/}" "$digest" "$path" "$tag" "$path" "$tag"
    exit 0
  fi
  printf '%s: Pulling from %s\n' "$tag" "${path#*/}"
  for id in "${ids[@]}"; do printf '%s: Pulling fs layer\n' "$id"; done
  for i in "${!ids[@]}"; do
    id=${ids[i]} bytes=${sizes[i]}
    # 100 MB/s from NGC: a layer takes bytes/100000 ms at speed 1, played out in 4 steps.
    ms=$((bytes / 100000 / 4))
    for step in 1 2 3 4; do
      sim_sleep_ms "$ms"
      if ((tty)); then
        done_b=$((bytes * step / 4))
        human_bytes "$done_b"; local have=$HB
        human_bytes "$bytes"
        local bar='' n=$((step * 12))
        printf -v bar '%*s' "$n" ''
        bar=${bar// /=}
        printf '%s: Downloading [%-49s]  %s/%s\n' "$id" "${bar}>" "$have" "$HB"
      fi
    done
    printf '%s: Verifying Checksum\n%s: Download complete\n' "$id" "$id"
    sim_sleep_ms $((ms / 2))
    printf '%s: Pull complete\n' "$id"
  done
  local img_id
  img_id=sha256:$(printf '%s' "$digest" | sha256sum | cut -c1-64)
  curl -sS -m 30 --data-binary "$img_id" "$SIM_CONTROL_URL/nodes/$SIM_NODE/images/${path}" >/dev/null 2>&1
  printf 'Digest: %s\nStatus: Downloaded newer image for %s:%s\n%s:%s\n' "$digest" "$path" "$tag" "$path" "$tag"
}

docker_volume() {
  local sub=${1-} name dir
  (($#)) && shift
  local vdir=$SIM_STATE/volumes
  case $sub in
    create)
      [[ ${1-} == -* ]] && { printf "unknown flag: %s\n" "$1" >&2; exit 125; }
      name=${1-}
      if [[ -z $name ]]; then name=$(head -c 32 /dev/urandom | sha256sum | cut -c1-64); fi
      [[ $name =~ ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$ ]] || {
        printf 'Error response from daemon: create %s: "%s" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path\n' "$name" "$name" >&2
        exit 1
      }
      mkdir -p "$vdir/$name/_data"
      printf '%s\n' "$name" ;;
    inspect)
      local rc=0 first=1
      printf '['
      for name in "$@"; do
        dir=$vdir/$name
        if [[ ! -d $dir ]]; then
          printf 'Error response from daemon: get %s: no such volume\n' "$name" >&2
          rc=1
          continue
        fi
        ((first)) || printf ','
        first=0
        printf '\n    {\n        "CreatedAt": "%s",\n        "Driver": "local",\n        "Labels": null,\n        "Mountpoint": "/var/lib/docker/volumes/%s/_data",\n        "Name": "%s",\n        "Options": null,\n        "Scope": "local"\n    }' \
          "$(date -u -r "$dir" +%Y-%m-%dT%H:%M:%SZ)" "$name" "$name"
      done
      printf '\n]\n'
      exit $rc ;;
    ls | list)
      printf 'DRIVER    VOLUME NAME\n'
      [[ -d $vdir ]] && for dir in "$vdir"/*/; do [[ -d $dir ]] && { name=${dir%/}; printf 'local     %s\n' "${name##*/}"; }; done
      exit 0 ;;
    rm)
      for name in "$@"; do [[ $name == -* ]] && continue; rm -rf "${vdir:?}/$name" && printf '%s\n' "$name"; done ;;
    *) printf 'docker: '\''volume %s'\'' is not available on this simulated Spark yet\n' "$sub" >&2; exit 125 ;;
  esac
}
