#!/usr/bin/env bash
# Prints the Debian archive URI the machine's own apt sources already use (deb822 .sources or one-line
# .list), so the prepare scripts never name a mirror host themselves. Sourced or run; prints one URI.
set -euo pipefail
uri=$(
  {
    # deb822: the URIs line of a stanza whose Suites name a Debian release and whose URI ends in /debian.
    awk '/^URIs:/ {u=$2} /^Suites:/ && u != "" {print u; u=""}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true
    # one-line: deb URI SUITE COMPONENTS
    awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i !~ /^\[/) {print $i; break}}' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
  } | grep -E '/debian/?$' | head -n1 || true
)
[ -n "$uri" ] || { echo "no Debian archive found in /etc/apt/sources.list*" >&2; exit 1; }
printf '%s\n' "$uri"
