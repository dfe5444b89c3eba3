#!/bin/sh
# SPDX-License-Identifier: MIT
# split-catalogue.sh CATALOGUE N - splits an emuconv --catalogue into N
# chunks of consecutive rows, one per host (doc/batch.md, "Beyond one
# machine"): CATALOGUE-1.EXT ... CATALOGUE-N.EXT beside it, so that the
# rows' paths (relative to the catalogue's directory) stay right.  Rows
# are balanced (their counts differ by one at most).  A CSV chunk starts
# with the header row; a row's quoted line breaks stay in its chunk (a
# record ends on a line where the count of '"' so far is even).  JSON
# lines: one row a line.  Each host then runs, with its K:
#   emuconv -t tei -O out --catalogue CATALOGUE-K.csv --skip-up-to-date
# which converts the files its rows name; run again after an interruption
# it converts only what is not done.
set -eu
if [ $# -ne 2 ] || ! [ "$2" -ge 1 ] 2>/dev/null; then
  echo "usage: $0 CATALOGUE N" >&2
  exit 2
fi
cat=$1 n=$2
case $cat in
  *.*) base=${cat%.*} ext=.${cat##*.} ;;
  *) base=$cat ext= ;;
esac
case $ext in
  .jsonl|.ndjson|.json) csv=0 ;;
  *) csv=1 ;;
esac
# pass 1 counts the rows, pass 2 writes each to its chunk
awk -v n="$n" -v csv="$csv" -v base="$base" -v ext="$ext" '
  function flush(   k) {
    if (rec == "") return
    if (csv && header == "") { header = rec; rec = ""; return }
    if (FNR == NR) { rows++; rec = ""; return }
    k = 1; while (k < n && row >= int(k * rows / n)) k++
    out = base "-" k ext
    if (!(out in started)) { started[out] = 1; if (csv) printf "%s", header > out; else printf "" > out }
    printf "%s", rec > out
    row++; rec = ""
  }
  FNR == 1 && NR != 1 { flush(); header = ""; quotes = 0 }
  {
    line = $0 "\n"
    if (rec == "" && ($0 == "" || $0 == "\r")) next   # a blank line between records
    rec = rec line
    if (csv) { t = $0; quotes += gsub(/"/, "", t) }
    if (!csv || quotes % 2 == 0) flush()
  }
  END {
    flush()
    for (k = 1; k <= n; k++) {   # every chunk exists, if only with its header
      out = base "-" k ext
      if (!(out in started)) { if (csv) printf "%s", header > out; else printf "" > out }
    }
  }' "$cat" "$cat"
