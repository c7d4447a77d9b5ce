// The one command the hardware sampler runs on every node, every few seconds, over a single SSH exec.
// It prints each source under a `@@name` marker line so one round trip carries everything and
// `splitSections` can pull the parts apart. Nothing is interpolated into it: it is a constant.

/** Section names, in the order the script prints them. */
export const PROBE_SECTIONS = [
  'hostname',
  'uptime',
  'loadavg',
  'nproc',
  'meminfo',
  'df',
  'gpu',
  'compute_apps',
  'route',
  'mac',
  'wg_link',
  'addr4',
] as const;

export type ProbeSection = (typeof PROBE_SECTIONS)[number];

// Design notes (kept out of the script so it stays small on the wire):
// - No `set -e`: every source may fail on its own (no nvidia-smi on a non-GPU box, no `ip` in a
//   container) and must leave only its own section empty. Errors go to /dev/null.
// - Files under /proc and /sys are read with plain `cat` (a few short processes every 5 s): the
//   simulated cluster serves GB10-shaped /proc files through its `cat`, and the probe must run
//   the same commands on a simulated Spark as on a real one.
// - `timeout` guards the two commands known to hang (nvidia-smi on a wedged driver, df on a stale
//   network mount): a hung probe left behind every 5 s would pile up on the node.
// - No sudo anywhere: the Sparks have no passwordless sudo.
// - POSIX sh only (it runs under bash on the Sparks and in the simulator, but a login shell of
//   dash must not break it).
// - The default-route choice (lowest metric, first line on a tie) mirrors `parseDefaultRoute`, so the
//   MAC printed belongs to the interface the parser reports.
export const HARDWARE_PROBE_SCRIPT = String.raw`rd() { cat "$1" 2>/dev/null || true; }
T=; command -v timeout >/dev/null 2>&1 && T='timeout -k 1 4'
echo '@@hostname'; hostname 2>/dev/null || rd /proc/sys/kernel/hostname
echo '@@uptime'; rd /proc/uptime
echo '@@loadavg'; rd /proc/loadavg
echo '@@nproc'; nproc 2>/dev/null || true
echo '@@meminfo'; rd /proc/meminfo
echo '@@df'
d="$HOME/.cache/huggingface"; [ -d "$d" ] || d="$HOME"
$T df -B1 --output=target,size,used,avail / "$d" 2>/dev/null || true
G=; command -v nvidia-smi >/dev/null 2>&1 && G=1
echo '@@gpu'
[ -n "$G" ] && { $T nvidia-smi --query-gpu=name,utilization.gpu,temperature.gpu,power.draw,memory.total,memory.used --format=csv,noheader,nounits 2>/dev/null || true; }
echo '@@compute_apps'
[ -n "$G" ] && { $T nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits 2>/dev/null || true; }
echo '@@route'
r=$(ip -o -4 route show default 2>/dev/null); [ -n "$r" ] && printf '%s\n' "$r"
IF=; bm=
while IFS= read -r line; do
  dev=; m=0; set -f; set -- $line; set +f
  while [ $# -gt 1 ]; do case $1 in dev) [ -z "$dev" ] && dev=$2 ;; metric) m=$2 ;; esac; shift; done
  case $m in ''|*[!0-9]*) m=0 ;; esac
  if [ -n "$dev" ] && { [ -z "$IF" ] || [ "$m" -lt "$bm" ]; }; then IF=$dev; bm=$m; fi
done <<EOF_ROUTE
$r
EOF_ROUTE
echo '@@mac'
if [ -n "$IF" ]; then
  if [ -r "/sys/class/net/$IF/address" ]; then rd "/sys/class/net/$IF/address"; else ip -o link show dev "$IF" 2>/dev/null || true; fi
fi
echo '@@wg_link'; ip -o link show type wireguard 2>/dev/null || true
echo '@@addr4'; ip -o -4 addr show 2>/dev/null || true
exit 0
`;
