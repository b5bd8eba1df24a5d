#!/usr/bin/env bash
# samlfx audit on synthetic exports of 100k, 1M and 4M users (examples/gen_users.rs), CSV and
# JSON, through the bundled Service Cloud Voice app (2 attributes): median wall time of 5 runs,
# peak RSS (/usr/bin/time -v, Debian package `time`) and users per second, release profile.
#
#   benches/audit.sh [SIZES…]     e.g. benches/audit.sh 100000 1000000
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/time ]; then
    echo "error: /usr/bin/time is missing: apt-get install time" >&2
    exit 2
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 4000000)
runs=${RUNS:-5}

cargo build --release --quiet --bin samlfx --example gen_users
bin=target/release/samlfx
gen=target/release/examples/gen_users
dir=target/bench-audit
mkdir -p "$dir"

printf '| users | format | file MB | median wall s | peak RSS MB | users/s |\n'
printf '| ---: | --- | ---: | ---: | ---: | ---: |\n'
for n in "${sizes[@]}"; do
    for fmt in csv json; do
        file="$dir/users-$n.$fmt"
        [ -s "$file" ] || "$gen" "$n" "$fmt" >"$file"
        walls=()
        rss=0
        for _ in $(seq "$runs"); do
            log="$(mktemp)"
            # Status 1 (failing users) is expected.
            /usr/bin/time -v "$bin" audit examples/voice/samlfx.toml --users "$file" \
                --org examples/voice/org.json --format json --limit 0 >/dev/null 2>"$log" || true
            wall="$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')"
            # m:ss.ss to seconds.
            walls+=("$(awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }' <<<"$wall")")
            kb="$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')"
            [ "$kb" -gt "$rss" ] && rss="$kb"
            rm -f "$log"
        done
        median="$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
        mb="$(du -m "$file" | cut -f1)"
        awk -v n="$n" -v f="$fmt" -v mb="$mb" -v m="$median" -v r="$rss" \
            'BEGIN { printf "| %d | %s | %d | %.2f | %.0f | %.0f |\n", n, f, mb, m, r/1024, n/m }'
    done
done
