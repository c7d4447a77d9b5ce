# shellcheck shell=bash
# `docker cp SRC CONTAINER:DEST` and `docker cp CONTAINER:SRC DEST`, within the directories the
# container's filesystem declares (lib/rootfs.sh); other paths are not in the simulation.
. "$L/rootfs.sh"

docker_cp() {
  local -a args=()
  while (($#)); do
    case $1 in
      -a | --archive | -L | --follow-link | -q | --quiet) ;;
      -*) printf "unknown flag: %s\nSee 'docker cp --help'.\n" "$1" >&2; exit 125 ;;
      *) args+=("$1") ;;
    esac
    shift
  done
  ((${#args[@]} == 2)) || usage_error cp 'exactly 2 arguments' \
    'cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-' 'Copy files/folders between a container and the local filesystem'
  local src=${args[0]} dst=${args[1]} ref cpath in=1
  if [[ $src == *:* && $dst == *:* ]]; then
    echo 'copying between containers is not supported' >&2; exit 1
  elif [[ $dst == *:* ]]; then ref=${dst%%:*} cpath=${dst#*:}
  elif [[ $src == *:* ]]; then ref=${src%%:*} cpath=${src#*:} in=0
  else
    echo 'must specify at least one container source' >&2; exit 1
  fi
  resolve "$ref" && load "$RES" || { no_such "$ref"; exit 1; }
  if ! rootfs_map "$RES" "$cpath"; then
    printf 'Error response from daemon: Could not find the file %s in container %s\n' "$cpath" "$ref" >&2
    exit 1
  fi
  if ((in)); then
    [[ -e $src ]] || { printf 'lstat %s: no such file or directory\n' "$src" >&2; exit 1; }
    if [[ ! -d $RP && ! -d ${RP%/*} ]]; then
      printf 'Error response from daemon: Could not find the file %s in container %s\n' "${cpath%/*}" "$ref" >&2
      exit 1
    fi
    if [[ $src == */. ]]; then cp -a "$src" "$RP/" || exit 1
    else cp -a "$src" "$RP" || exit 1; fi
    printf 'Successfully copied %sB to %s:%s\n' "$(du -sb "$src" | cut -f1)" "$ref" "$cpath"
  else
    [[ -e $RP ]] || { printf 'Error response from daemon: Could not find the file %s in container %s\n' "$cpath" "$ref" >&2; exit 1; }
    cp -a "$RP" "$dst" || exit 1
    printf 'Successfully copied %sB to %s\n' "$(du -sb "$RP" | cut -f1)" "$dst"
  fi
}
