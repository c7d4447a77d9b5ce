# shellcheck shell=bash
# `docker ps` / `docker container ls`: filters, -a/-q/-n/-l, --no-trunc, and Go-template formats
# (including `table …` aligned like docker's tabwriter and `{{json .}}`).

ps_field() { # EXPR → TV for the loaded record
  local id=$C_ID cmd=$C_CMD
  ((trunc)) && id=${C_ID:0:12}
  ((trunc)) && ((${#cmd} > 20)) && cmd="${cmd:0:19}…"
  case $1 in
    .ID) TV=$id ;;
    .Image) TV=$C_IMAGE ;;
    .Command) json_str "$cmd"; TV=$JS ;;
    .CreatedAt) TV=$C_CREATED_AT ;;
    .RunningFor) human $((EPOCHSECONDS - C_CREATED_EPOCH)); TV="$HD ago" ;;
    .Ports) TV=$C_PORTS ;;
    .State) TV=$C_STATUS ;;
    .Status) status_text; TV=$ST ;;
    .Size) TV=0B ;;
    .Names) TV=$C_NAME ;;
    .Labels | .Mounts) TV='' ;;
    .LocalVolumes) TV=0 ;;
    .Networks) TV=$C_NETWORK ;;
    'json .')
      local k parts=()
      for k in Command CreatedAt ID Image Labels LocalVolumes Mounts Names Networks Ports RunningFor Size State Status; do
        ps_field ".$k"
        json_str "$TV"
        parts+=("\"$k\":$JS")
      done
      local IFS=,
      TV="{${parts[*]}}" ;;
    *) template_error "$1" formatter.ContainerContext ;;
  esac
}

ps_header() { # EXPR → TV: the column title docker prints for a field in table mode
  case $1 in
    .ID) TV='CONTAINER ID' ;; .RunningFor) TV=CREATED ;; .CreatedAt) TV='CREATED AT' ;;
    .LocalVolumes) TV='LOCAL VOLUMES' ;; 'json .') TV='' ;;
    .*) TV=${1#.}; TV=${TV^^} ;;
    *) TV='' ;;
  esac
}

# split_tabs ROW → CELLS (read -a would merge empty cells: tab counts as IFS whitespace).
split_tabs() {
  local s=$1
  CELLS=()
  while [[ $s == *$'\t'* ]]; do
    CELLS+=("${s%%$'\t'*}")
    s=${s#*$'\t'}
  done
  CELLS+=("$s")
}

# Prints tab-separated rows aligned like text/tabwriter(minwidth 10, padding 3).
tabulate() {
  local -a widths=() cells
  local row i w line
  for row in "$@"; do
    split_tabs "$row"
    cells=("${CELLS[@]}")
    for ((i = 0; i < ${#cells[@]} - 1; i++)); do
      w=${#cells[i]}
      ((w + 3 > ${widths[i]:-10})) && widths[i]=$((w + 3))
      ((${widths[i]:-0} < 10)) && widths[i]=10
    done
  done
  for row in "$@"; do
    split_tabs "$row"
    cells=("${CELLS[@]}")
    line=''
    # Pad by characters, not bytes (printf %-*s would miscount the "…" of truncated commands).
    for ((i = 0; i < ${#cells[@]} - 1; i++)); do
      printf -v w '%*s' $((widths[i] - ${#cells[i]})) ''
      line+=${cells[i]}$w
    done
    ((${#cells[@]})) && line+=${cells[${#cells[@]} - 1]}
    echo "${line%"${line##*[! ]}"}"
  done
}

docker_ps() {
  local all=0 quiet=0 last=-1 fmt="" arg key val n rows=() f i
  local -a f_name=() f_status=() f_id=() f_ancestor=()
  trunc=1
  while (($#)); do
    arg=$1
    case $arg in
      -a | --all) all=1 ;; -q | --quiet) quiet=1 ;; --no-trunc) trunc=0 ;; -s | --size) ;;
      -l | --latest) last=1 ;;
      -n | --last) shift; last=${1-} ;; --last=* | -n=*) last=${arg#*=} ;;
      --format) shift; fmt=${1-} ;; --format=*) fmt=${arg#*=} ;;
      -f | --filter) shift; f=${1-} ;; --filter=*) f=${arg#*=} ;;
      -[aqls][aqls]*) for ((i = 1; i < ${#arg}; i++)); do set -- "$@" "-${arg:i:1}"; done ;;
      -*) printf "unknown flag: %s\nSee 'docker ps --help'.\n" "$arg" >&2; exit 125 ;;
      *) printf '"docker ps" accepts no arguments.\nSee '\''docker ps --help'\''.\n' >&2; exit 1 ;;
    esac
    if [[ $arg == -f || $arg == --filter || $arg == --filter=* ]]; then
      key=${f%%=*} val=${f#*=}
      case $key in
        name) f_name+=("$val") ;; status) f_status+=("$val") ;; id) f_id+=("$val") ;; ancestor) f_ancestor+=("$val") ;;
        *) printf "Error response from daemon: invalid filter '%s'\n" "$key" >&2; exit 1 ;;
      esac
      [[ $key == status ]] && all=1
    fi
    shift
  done
  ((last >= 0)) && all=1
  [[ $fmt == table ]] && fmt=''
  [[ -z $fmt ]] && fmt='table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}'
  ((quiet)) && fmt='{{.ID}}'
  all_containers
  local count=0
  for n in "${CONTAINERS[@]}"; do
    ((last >= 0 && count >= last)) && break
    load "$n" || continue
    ((count++))
    ((all)) || [[ $C_STATUS == running ]] || continue
    matches "$C_NAME" f_name re && matches "$C_STATUS" f_status eq && matches "$C_ID" f_id prefix &&
      matches "$C_IMAGE" f_ancestor eq || continue
    render "${fmt#table }" ps_field || exit 1
    rows+=("$R")
  done
  if [[ $fmt == table* ]]; then
    render "${fmt#table }" ps_header
    tabulate "$R" "${rows[@]}"
  else
    ((${#rows[@]} == 0)) || printf '%s\n' "${rows[@]}"
  fi
}

matches() { # VALUE ARRAY_NAME MODE: OR over one filter key; an empty filter matches
  local -n list=$2
  local p
  ((${#list[@]})) || return 0
  for p in "${list[@]}"; do
    case $3 in
      re) [[ $1 =~ $p ]] && return 0 ;;
      eq) [[ $1 == "$p" ]] && return 0 ;;
      prefix) [[ $1 == "$p"* ]] && return 0 ;;
    esac
  done
  return 1
}
