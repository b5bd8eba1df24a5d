#!/usr/bin/env bash
# Times the same formulas in formulon (the npm package) and in samlfx, in one run, and prints the
# per-formula times and the ratio formulon / samlfx. formulon has no separate compile step, so the
# ratio compares one-shot parse + evaluate; samlfx's compiled-program time is shown beside it.
#
# Usage: benches/compare-formulon.sh   (needs node, npm and cargo; installs formulon in a temp dir)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
formulas="$root/benches/compare/formulas.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "installing formulon into $tmp ..." >&2
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent formulon@6 >/dev/null)
echo "building samlfx (release) ..." >&2
(cd "$root" && cargo build --release --quiet --example time_formulas)

echo "timing ..." >&2
FORMULON_PATH="$tmp/node_modules/formulon" node "$root/benches/compare/time_formulon.js" "$formulas" >"$tmp/formulon.jsonl"
"$root/target/release/examples/time_formulas" "$formulas" >"$tmp/samlfx.jsonl"

python3 - "$tmp/formulon.jsonl" "$tmp/samlfx.jsonl" <<'PY'
import json, math, sys
fl = [json.loads(l) for l in open(sys.argv[1])]
sx = {r["name"]: r for r in (json.loads(l) for l in open(sys.argv[2]))}
print(f"{'formula':<24} {'formulon':>12} {'samlfx':>12} {'ratio':>8} {'samlfx compiled':>16}  values")
ratios = []
for r in fl:
    s = sx[r["name"]]
    ratio = r["one_shot_ns"] / s["one_shot_ns"]
    ratios.append(ratio)
    # formulon returns JS numbers and text; samlfx prints numbers as TEXT() does.
    fv, sv = r["value"], s["value"]
    same = "agree" if (fv if isinstance(fv, str) or fv is None else f"{fv:g}") == sv else f"differ: formulon {fv!r}, samlfx {sv!r}"
    print(f"{r['name']:<24} {r['one_shot_ns']/1000:>9.2f} µs {s['one_shot_ns']/1000:>9.2f} µs {ratio:>7.1f}x {s['compiled_ns']:>13.0f} ns  {same}")
geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
print(f"geometric mean ratio (formulon / samlfx, one-shot): {geo:.1f}x")
PY
