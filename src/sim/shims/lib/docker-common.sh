# shellcheck shell=bash
# Container records for the docker shim. The simulator writes one sourceable file per container
# ($SIM_STATE/containers/<name>.env, C_* variables) plus its pre-rendered inspect JSON, and an
# `index` listing names newest first (docker's ps order).
CDIR=$SIM_STATE/containers

all_containers() {
  CONTAINERS=()
  local n
  [[ -r $CDIR/index ]] || return 0
  while IFS= read -r n; do [[ -n $n ]] && CONTAINERS+=("$n"); done <"$CDIR/index"
}

load() { # NAME: sources the record, returns 1 if it vanished
  [[ -r $CDIR/$1.env ]] || return 1
  # shellcheck source=/dev/null
  . "$CDIR/$1.env"
}

# resolve ARG → RES (container name) by name, /name, full id or unique id prefix, like the daemon.
resolve() {
  local arg=${1#/} n hit=''
  RES=''
  [[ -n $arg && $arg != *[!A-Za-z0-9_.-]* ]] || return 1
  if [[ -r $CDIR/$arg.env ]]; then RES=$arg; return 0; fi
  all_containers
  for n in "${CONTAINERS[@]}"; do
    load "$n" || continue
    [[ $C_ID == "$arg"* ]] || continue
    [[ -z $hit ]] || return 1
    hit=$n
  done
  RES=$hit
  [[ -n $RES ]]
}

no_such() { printf 'Error response from daemon: No such container: %s\n' "$1" >&2; }

# go-units HumanDuration, which docker uses for "Up 2 hours" and "3 minutes ago".
human() {
  local s=$1 m=$(($1 / 60)) h=$((($1 + 1800) / 3600))
  if ((s < 1)); then HD='Less than a second'
  elif ((s == 1)); then HD='1 second'
  elif ((s < 60)); then HD="$s seconds"
  elif ((m == 1)); then HD='About a minute'
  elif ((m < 60)); then HD="$m minutes"
  elif ((h == 1)); then HD='About an hour'
  elif ((h < 48)); then HD="$h hours"
  elif ((h < 24 * 7 * 2)); then HD="$((h / 24)) days"
  elif ((h < 24 * 30 * 2)); then HD="$((h / 24 / 7)) weeks"
  elif ((h < 24 * 365 * 2)); then HD="$((h / 24 / 30)) months"
  else HD="$((s / 3600 / 24 / 365)) years"; fi
}

# docker ps's STATUS column for the loaded record → ST.
status_text() {
  local now=$EPOCHSECONDS
  case $C_STATUS in
    running) human $((now - C_STARTED_EPOCH)); ST="Up $HD" ;;
    exited) human $((now - C_FINISHED_EPOCH)); ST="Exited ($C_EXIT) $HD ago" ;;
    restarting) human $((now - C_FINISHED_EPOCH)); ST="Restarting ($C_EXIT) $HD ago" ;;
    *) ST=Created ;;
  esac
}

json_str() { # → JS: the value as a JSON string literal
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  JS="\"${s//$'\n'/\\n}\""
}

# render FORMAT GETTER → R: expands every {{ expr }} with GETTER (which sets TV), after docker's
# own preprocessing of literal \t and \n.
render() {
  local f=$1 out='' m
  f=${f//\\t/$'\t'}
  f=${f//\\n/$'\n'}
  while [[ $f =~ \{\{-?[[:space:]]*([^}]*[^[:space:]}-])[[:space:]]*-?\}\} ]]; do
    m=${BASH_REMATCH[0]}
    out+=${f%%"$m"*}
    "$2" "${BASH_REMATCH[1]}" || return 1
    out+=$TV
    f=${f#*"$m"}
  done
  R=$out$f
}

template_error() { # EXPR TYPE
  printf 'template: :1:%d: executing "" at <%s>: can'\''t evaluate field %s in type %s\n' \
    3 "$1" "${1##*.}" "$2" >&2
  return 1
}

image_known() { # NAME → IMG_ID
  local n=${1%:latest} name id rest
  IMG_ID=''
  [[ -r $SIM_STATE/images ]] || return 1
  while IFS=$'\t' read -r name id rest; do
    [[ $name == "$n" ]] && { IMG_ID=$id; return 0; }
  done <"$SIM_STATE/images"
  return 1
}
