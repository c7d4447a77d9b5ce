# shellcheck shell=bash
# Container filesystems (src/sim/container-fs.ts): rootfs_map NAME PATH → RP, the host file that
# stands for PATH inside container NAME when PATH is under one of the directories it declares
# ($SIM_STATE/rootfs/NAME.paths); returns 1 (RP=PATH) otherwise.
rootfs_map() {
  local name=$1 p=$2 d
  RP=$p
  [[ $p == /* && -r $SIM_STATE/rootfs/$name.paths ]] || return 1
  while IFS= read -r d; do
    [[ -n $d ]] || continue
    if [[ $p == "$d" || $p == "$d"/* ]]; then
      RP=$SIM_STATE/rootfs/$name$p
      return 0
    fi
  done <"$SIM_STATE/rootfs/$name.paths"
  return 1
}

# rootfs_unmap NAME: a filter that shows host paths of NAME's filesystem as the container's own.
rootfs_unmap() {
  local prefix=$SIM_STATE/rootfs/$1
  sed -u "s|$(printf '%s' "$prefix" | sed 's/[][\.*^$|/]/\\&/g')||g"
}
