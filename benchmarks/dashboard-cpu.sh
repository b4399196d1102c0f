#!/usr/bin/env bash
# The CPU of the `micromoment serve` process (Orleans silo + gateway in one process) while REES46 events stream in at a
# steady rate (the replay of a slice of the log whose event rate is even: by default 02:20-02:50 of the sample's
# 2019-10-01, about 7.5 events/s of event time, replayed at 12x: about 90 events/s),
# in three set-ups: nobody watching; /dashboard (its live stream) and Orleans' dashboard at /orleans (the requests its
# overview page makes every second) watched, Orleans' grain call profiling off (the default); the same with
# --orleans-profiling. The runs are interleaved; each is a fresh process and data directory. CPU is utime+stime of the
# process from /proc/<pid>/stat over the measuring window; the watchers (curl) and the replay client are other processes.
#
# Build first: dotnet build src/MicroMoment.Cli -c Release
# Usage: benchmarks/dashboard-cpu.sh   (RUNS, WARM, WINDOW, SPEED, BATCH, FROM, TO, DATA override the defaults below)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cli="$root/artifacts/bin/MicroMoment.Cli/release/micromoment.dll"
data=${DATA:-$root/../shared/data/rees46/2019-Oct-head.csv.gz}
runs=${RUNS:-3}
warm=${WARM:-15}
window=${WINDOW:-40}
speed=${SPEED:-12x}
from=${FROM:-2019-10-01 02:20}
to=${TO:-2019-10-01 02:50}
batch=${BATCH:-20}
key=mm_sk_dashboard_cpu_measurement_01
port=${PORT:-5187}
orleans_port=${ORLEANS_PORT:-30187}
base=http://127.0.0.1:$port
tick=$(getconf CLK_TCK)
[[ -f $cli ]] || { echo "no $cli: run 'dotnet build src/MicroMoment.Cli -c Release' first" >&2; exit 2; }
[[ -f $data ]] || { echo "no event log at $data (set DATA)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
slice=$work/slice.csv.gz
zcat -f "$data" | awk -F, -v from="$from" -v to="$to" 'NR == 1 || ($1 >= from && $1 < to)' | gzip >"$slice"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
events() { curl -s -H "Authorization: Bearer $key" "$base/metrics" | awk '/^micromoment_grain_events_total/ { s += $2 } END { print s + 0 }'; }

measure() {
  local mode=$1 dir pid replay stream="" poller="" c0 c1 e0 e1 t0 t1 traced
  dir=$(mktemp -d)
  local args=(serve --data-dir "$dir/data" --urls "$base" --server-key "$key" --accept-historical --orleans-port "$orleans_port")
  [[ $mode == watched+profiling ]] && args+=(--orleans-profiling)
  dotnet "$cli" "${args[@]}" >"$dir/serve.log" 2>&1 </dev/null &
  pid=$!
  for _ in $(seq 120); do curl -sf "$base/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
  dotnet "$cli" replay --data "$slice" --target "$base" --key "$key" --speed "$speed" --batch "$batch" >"$dir/replay.log" 2>&1 &
  replay=$!
  if [[ $mode != unwatched ]]; then
    curl -sN -H "Authorization: Bearer $key" "$base/dashboard/api/stream" >/dev/null 2>&1 &
    stream=$!
    # What Orleans' overview page asks every second: its counters, then the cluster's statistics and top grain methods.
    (while :; do
      for p in DashboardCounters ClusterStats TopGrainMethods; do curl -s -H "Authorization: Bearer $key" "$base/orleans/$p" >/dev/null; done
      sleep 1
    done) &
    poller=$!
  fi
  sleep "$warm"
  c0=$(ticks "$pid"); e0=$(events); t0=$(date +%s.%N)
  sleep "$window"
  c1=$(ticks "$pid"); e1=$(events); t1=$(date +%s.%N)
  # Whether Orleans' dashboard timed grain calls in this run (its top methods list the user grain's).
  traced=$(curl -s -H "Authorization: Bearer $key" "$base/orleans/TopGrainMethods" | grep -o 'UserGrain' | wc -l || true)
  [[ -n $poller ]] && kill "$poller" 2>/dev/null; [[ -n $stream ]] && kill "$stream" 2>/dev/null
  kill "$replay" 2>/dev/null || true
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  wait "$replay" 2>/dev/null || true
  awk -v m="$mode" -v c="$((c1 - c0))" -v hz="$tick" -v e="$((e1 - e0))" -v t0="$t0" -v t1="$t1" -v tr="$traced" \
    'BEGIN { s = t1 - t0; printf "%-18s cpu %6.2f %% of one core  %7.1f events/s  %6.2f ms CPU per 1000 events  traced=%s\n", m, 100 * c / hz / s, e / s, 1000 * (c / hz) / (e > 0 ? e / 1000 : 1), tr }'
  rm -rf "$dir"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, runs=$runs warm=${warm}s window=${window}s speed=$speed batch=$batch slice=[$from, $to) of $(basename "$data"): $(($(zcat "$slice" | wc -l) - 1)) events"
for run in $(seq "$runs"); do
  for mode in unwatched watched watched+profiling; do measure "$mode"; done
done
