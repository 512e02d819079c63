#!/usr/bin/env bash
# The hottest frames of a JFR recording's execution samples (jdk.ExecutionSample): the top (self) frame
# of each sample, and the project frame (io.channelsync) nearest the top, each with its share of samples.
# Usage: bench/jfr-top.sh RECORDING.jfr [N=15]
set -euo pipefail
F=${1:?recording}; N=${2:-15}
jfr print --events jdk.ExecutionSample --stack-depth 64 "$F" | awk -v n="$N" '
  /^jdk.ExecutionSample/ { inside = 0; top = ""; own = ""; next }
  /stackTrace = \[/ { inside = 1; next }
  inside && /^[[:space:]]*\]/ { inside = 0; samples++; self[top]++; if (own != "") mine[own]++; else mine["(no io.channelsync frame)"]++; next }
  inside { f = $0; sub(/^[[:space:]]+/, "", f); sub(/[[:space:]]+line:.*/, "", f); if (top == "") top = f
           if (own == "" && f ~ /^io\.channelsync\./) own = f }
  END {
    printf "%d execution samples\n-- top frames (self) --\n", samples
    for (k in self) printf "%6.1f%%  %s\n", 100 * self[k] / samples, k | "sort -rn | head -" n; close("sort -rn | head -" n)
    printf "-- nearest io.channelsync frame --\n"
    for (k in mine) printf "%6.1f%%  %s\n", 100 * mine[k] / samples, k | "sort -rn | head -" n; close("sort -rn | head -" n)
  }'
