#!/usr/bin/env bash
# samlfx audit on synthetic exports of 100k, 1M and 4M users (examples/gen_users.rs), CSV and
# JSON, through the bundled Service Cloud Voice app (2 attributes): median wall time of RUNS runs
# (default 5), the median user+system CPU time, peak RSS (/usr/bin/time -v, Debian package
# `time`) and users per second, release profile, all cores (JOBS to set --jobs).
#
#   benches/audit.sh [SIZES…]     e.g. benches/audit.sh 100000 1000000
#   FORMATS="csv" RUNS=7 benches/audit.sh 1000000
#   BIN=/path/to/another/samlfx benches/audit.sh 1000000     (to compare two builds)
#
# The exports (up to 1.6 GB for 4M users in JSON) are written to a temporary directory and
# deleted at the end; KEEP=DIR keeps them in DIR (and reuses what is there). The load average
# is printed before and after: on a shared machine, other work inflates the wall times (the CPU
# times less so).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/time ]; then
    echo "error: /usr/bin/time is missing: apt-get install time" >&2
    exit 2
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 4000000)
read -r -a formats <<<"${FORMATS:-csv json}"
runs=${RUNS:-5}
jobs=()
[ -z "${JOBS:-}" ] || jobs=(--jobs "$JOBS")

cargo build --release --quiet --bin samlfx --example gen_users
bin=${BIN:-target/release/samlfx}
gen=target/release/examples/gen_users
if [ -n "${KEEP:-}" ]; then
    dir="$KEEP"
    mkdir -p "$dir"
else
    dir="$(mktemp -d)"
    trap 'rm -rf "$dir"' EXIT
fi

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| users | format | file MB | median wall s | median CPU s | peak RSS MB | users/s |\n'
printf '| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n'
for n in "${sizes[@]}"; do
    for fmt in "${formats[@]}"; do
        file="$dir/users-$n.$fmt"
        [ -s "$file" ] || "$gen" "$n" "$fmt" >"$file"
        walls=()
        cpus=()
        rss=0
        for _ in $(seq "$runs"); do
            log="$(mktemp)"
            # Status 1 (failing users) is expected.
            /usr/bin/time -v "$bin" audit examples/voice/samlfx.toml --users "$file" \
                --org examples/voice/org.json --format json --limit 0 "${jobs[@]}" \
                >/dev/null 2>"$log" || true
            wall="$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')"
            # m:ss.ss to seconds.
            walls+=("$(awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }' <<<"$wall")")
            user="$(grep 'User time' "$log" | awk '{print $NF}')"
            sys="$(grep 'System time' "$log" | awk '{print $NF}')"
            cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
            kb="$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')"
            [ "$kb" -gt "$rss" ] && rss="$kb"
            rm -f "$log"
        done
        m="$(printf '%s\n' "${walls[@]}" | median)"
        c="$(printf '%s\n' "${cpus[@]}" | median)"
        mb="$(du -m "$file" | cut -f1)"
        awk -v n="$n" -v f="$fmt" -v mb="$mb" -v m="$m" -v c="$c" -v r="$rss" \
            'BEGIN { printf "| %d | %s | %d | %.2f | %.2f | %.0f | %.0f |\n", n, f, mb, m, c, r/1024, n/m }'
    done
    # Free the disk as soon as a size is done, unless asked to keep the files.
    [ -n "${KEEP:-}" ] || rm -f "$dir"/users-"$n".*
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
