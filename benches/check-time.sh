#!/usr/bin/env bash
# Wall-clock time of `samlfx check` on the bundled Service Cloud Voice example, release profile:
# the median of RUNS runs (default 31) after 3 warm-ups, process start included, as a user
# running it in CI or a pre-commit hook sees it.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-31}"
TARGET="${1:-examples/voice}"

cargo build --release --quiet
bin=target/release/samlfx
for _ in 1 2 3; do "$bin" check "$TARGET" >/dev/null 2>&1 || true; done

times=()
for _ in $(seq "$RUNS"); do
    start=$(date +%s%N)
    "$bin" check "$TARGET" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( RUNS / 2 ))]}
printf 'samlfx check %s (release): median %d.%03d ms over %d runs (min %d.%03d ms, max %d.%03d ms)\n' \
    "$TARGET" $((median / 1000)) $((median % 1000)) "$RUNS" \
    $((sorted[0] / 1000)) $((sorted[0] % 1000)) \
    $((sorted[RUNS - 1] / 1000)) $((sorted[RUNS - 1] % 1000))
