#!/usr/bin/env bash
# policylang CI for a bureau's rules repository (规则仓库的持续集成脚本).
#
# Runs, in order: check (every error and warning), test with JUnit report and rule coverage, verify
# (invariants on generated claims), and the semantic diff against a base revision, with the cost of
# the change on each region's claims (real data from $CLAIMS_DIR if present, else a seeded sample).
# Every step runs even when an earlier one fails; the exit status is 1 if any failed.
#
# Settings (environment):
#   RULES         folder of regions                         (default regions)
#   BASE          git revision to compare with              (default origin/main; skipped if unknown)
#   MIN_COVERAGE  minimum rule coverage per region, percent (default 90)
#   CLAIMS_DIR    folder with <region>.parquet or <region>.csv claim tables (default claims)
#   SAMPLE_ROWS   rows of the synthetic table for regions without data     (default 5000)
#   VERIFY_EXAMPLES  generated claim sequences per person combination      (default 40)
#   OUT           where reports go: junit.xml, test.json, diff.md          (default policy-ci-out)
#   POLICYLANG    the command                                              (default policylang)
set -uo pipefail

RULES="${RULES:-regions}"
BASE="${BASE:-origin/main}"
MIN_COVERAGE="${MIN_COVERAGE:-90}"
CLAIMS_DIR="${CLAIMS_DIR:-claims}"
SAMPLE_ROWS="${SAMPLE_ROWS:-5000}"
VERIFY_EXAMPLES="${VERIFY_EXAMPLES:-40}"
OUT="${OUT:-policy-ci-out}"
POLICYLANG="${POLICYLANG:-policylang}"

mkdir -p "$OUT"
status=0
step() { echo; echo "== $1"; }

step "检查 (check)"
$POLICYLANG check "$RULES" || status=1

step "测试与覆盖率 (test, coverage ≥ ${MIN_COVERAGE}%)"
$POLICYLANG test "$RULES" --coverage --min-coverage "$MIN_COVERAGE" --junit "$OUT/junit.xml" || status=1
$POLICYLANG test "$RULES" --coverage --json > "$OUT/test.json" || true

step "不变量 (verify)"
$POLICYLANG verify "$RULES" -n "$VERIFY_EXAMPLES" || status=1

step "规则变更 (diff against $BASE)"
if git rev-parse --verify --quiet "$BASE^{commit}" > /dev/null; then
    : > "$OUT/diff.md"
    for region in "$RULES"/*/; do
        region="${region%/}"
        name="$(basename "$region")"
        claims=""
        for candidate in "$CLAIMS_DIR/$name.parquet" "$CLAIMS_DIR/$name.csv"; do
            if [ -f "$candidate" ]; then claims="$candidate"; break; fi
        done
        if [ -z "$claims" ]; then
            claims="$OUT/sample-$name.parquet"
            $POLICYLANG sample "$region" -n "$SAMPLE_ROWS" --seed 1 -o "$claims" > /dev/null || { status=1; continue; }
        fi
        $POLICYLANG diff --base "$BASE" "$region" --claims "$claims" -o "$OUT/diff-$name.md" || { status=1; continue; }
        cat "$OUT/diff-$name.md" >> "$OUT/diff.md"
    done
    cat "$OUT/diff.md"
else
    echo "没有找到基准版本 $BASE，跳过规则变更比较 (base revision not found; diff skipped)"
fi

exit $status
