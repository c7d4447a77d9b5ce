# shellcheck shell=bash
# `docker top CONTAINER [ps OPTIONS]`. The daemon runs `ps` (default `-ef`) on the host and keeps
# the container's processes; the CLI prints the titles and rows through a tabwriter (min width 20,
# padding 3). Here the container's processes are its PID 1 (a record, not a real process) plus the
# real process groups `docker exec -d` started in it ($CDIR/<name>.procs), read with the host's ps.
# The simulator's own plumbing (log stamping subshells, curl to the control API) is left out, and
# container-only tools show as they would in the image (`/usr/bin/python3 /usr/local/bin/vllm …`).

top_field() { # ps field → TITLE (procps's header), 1 when unknown
  case $1 in
    pid) TITLE=PID ;; ppid) TITLE=PPID ;; uid | user | euser) TITLE=UID ;; c) TITLE=C ;;
    stime | start_time) TITLE=STIME ;; tty | tt) TITLE=TTY ;; time | cputime) TITLE=TIME ;;
    args | command) TITLE=COMMAND ;; cmd) TITLE=CMD ;; comm | ucomm) TITLE=COMMAND ;;
    *) return 1 ;;
  esac
}

# top_value FIELD PID PPID ARGS STIME → TV
top_value() {
  case $1 in
    pid) TV=$2 ;; ppid) TV=$3 ;; uid | user | euser) TV=root ;; c) TV=0 ;; stime | start_time) TV=$5 ;;
    tty | tt) TV='?' ;; time | cputime) TV=00:00:00 ;; comm | ucomm) TV=${4%% *}; TV=${TV##*/} ;; *) TV=$4 ;;
  esac
}

docker_top() {
  (($#)) || usage_error top 'at least 1 argument' 'top CONTAINER [ps OPTIONS]' \
    'Display the running processes of a container'
  local a=$1 fields=(uid pid ppid c stime tty time cmd) f
  shift
  if (($#)); then
    fields=()
    while (($#)); do
      case $1 in
        -e | -A | -f | -ef | -fe | -eF) ;;
        -o | -eo | --format) shift; IFS=',' read -ra f <<<"${1-}"; fields+=("${f[@]}") ;;
        -o* ) IFS=',' read -ra f <<<"${1#-o}"; fields+=("${f[@]}") ;;
        *) printf 'Error response from daemon: ps: exit status 1: error: unsupported option (BSD syntax)\n' >&2; exit 1 ;;
      esac
      shift
    done
    ((${#fields[@]})) || fields=(uid pid ppid c stime tty time cmd)
  fi
  local titles=() TITLE
  for f in "${fields[@]}"; do
    if ! top_field "$f"; then
      printf 'Error response from daemon: ps: exit status 1: error: unknown user-defined format specifier "%s"\n' "$f" >&2
      exit 1
    fi
    titles+=("$TITLE")
  done
  resolve "$a" && load "$RES" || { no_such "$a"; exit 1; }
  if [[ $C_STATUS != running ]]; then
    printf 'Error response from daemon: container %s is not running\n' "$C_ID" >&2
    exit 1
  fi
  local stime root=${SIM_STATE%/state} sids='' pid ppid args
  TZ=UTC0 printf -v stime '%(%H:%M)T' "$C_STARTED_EPOCH"
  # rows: pid, ppid, args (tab-separated); PID 1 of the container first.
  local rows=("$C_PID"$'\t'"$((C_PID - 17))"$'\t'"$C_CMD")
  [[ -r $CDIR/$RES.procs ]] && sids=$(paste -sd, "$CDIR/$RES.procs")
  if [[ -n $sids ]]; then
    local -A seen=()
    while read -r pid ppid stat args; do
      # Exited processes nobody reaped yet (the sandbox's init may never reap) are not running.
      [[ -n $pid && $stat != Z* ]] || continue
      seen[$pid]=$args
      [[ $args == *'exec 9> >(stamp'* || $args == curl\ * ]] && continue
      # A subshell bash forked for itself carries its parent's argv: one process to the user.
      [[ -n ${seen[$ppid]+x} && ${seen[$ppid]} == "$args" ]] && continue
      args=${args//\/dev\/fd\/9//proc/1/fd/1}
      if [[ $args =~ ^(/bin/|/usr/bin/)?bash\ $root/shims/container-bin/([A-Za-z0-9_]+)(.*)$ ]]; then
        args="/usr/bin/python3 /usr/local/bin/${BASH_REMATCH[2]}${BASH_REMATCH[3]}"
      fi
      rows+=("$pid"$'\t'"$C_PID"$'\t'"$args")
    done < <(ps -s "$sids" -o pid=,ppid=,stat=,args= 2>/dev/null | sort -n)
  fi
  # tabwriter(minwidth 20, padding 3): every column but the last is padded to its widest cell.
  local -a widths=() table=() cells
  local i row line out
  table+=("$(IFS=$'\t'; printf '%s' "${titles[*]}")")
  for row in "${rows[@]}"; do
    IFS=$'\t' read -r pid ppid args <<<"$row"
    cells=()
    for f in "${fields[@]}"; do top_value "$f" "$pid" "$ppid" "$args" "$stime"; cells+=("$TV"); done
    table+=("$(IFS=$'\t'; printf '%s' "${cells[*]}")")
  done
  for line in "${table[@]}"; do
    IFS=$'\t' read -ra cells <<<"$line"
    for i in "${!cells[@]}"; do
      ((i < ${#fields[@]} - 1)) || continue
      ((${#cells[i]} + 3 > ${widths[i]:-20})) && widths[i]=$((${#cells[i]} + 3))
    done
  done
  for line in "${table[@]}"; do
    IFS=$'\t' read -ra cells <<<"$line"
    out=''
    for i in "${!cells[@]}"; do
      if ((i < ${#fields[@]} - 1)); then printf -v out '%s%-*s' "$out" "${widths[i]:-20}" "${cells[i]}"
      else out+=${cells[i]}; fi
    done
    printf '%s\n' "$out"
  done
}
