#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/same-output.sh: are a refactoring's outputs byte-identical?
#
#   tests/same-output.sh make EMUCONV OUTDIR   convert every seed, fixture and
#       tests/data input to ir, tei, epub and odt (and the parallel seeds to
#       tei and epub) into OUTDIR, with SOURCE_DATE_EPOCH fixed
#   tests/same-output.sh compare DIR1 DIR2     list every output that differs
#       or exists on one side only; exit 1 if any does
#
# Make OUTDIR once with the build before a change and once after, then
# compare.  A failed conversion is recorded as its exit status and stderr,
# so a change of behaviour on bad input shows too.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH

make_outputs() {
  emuconv=$1 out=$2
  mkdir -p "$out"
  find "$here/seeds" "$here/tests/data" -type f \
    \( -name '*.txt' -o -name '*.html' -o -name '*.xhtml' -o -name '*.htm' \
       -o -name '*.docx' -o -name '*.ir.xml' -o -name '*.md' \) | LC_ALL=C sort |
  while IFS= read -r f; do
    rel=${f#"$here"/}
    key=$(printf '%s' "$rel" | tr '/' '_')
    for t in ir tei epub odt; do
      o=$out/$key.$t
      if ! "$emuconv" -q -t "$t" "$f" "$o" 2>"$o.err"; then
        echo "exit $?" >>"$o.err"
      fi
    done
  done
  for t in tei epub; do
    "$emuconv" -q --parallel "$here"/seeds/sonla-emulation.*.txt \
      -o "$out/parallel.$t" 2>"$out/parallel.$t.err" || echo "exit $?" >>"$out/parallel.$t.err"
  done
}

compare_outputs() {
  a=$1 b=$2 bad=0
  for f in $( (cd "$a" && ls; cd "$b" && ls) | LC_ALL=C sort -u); do
    if [ ! -e "$a/$f" ] || [ ! -e "$b/$f" ]; then
      echo "only one side: $f"; bad=1
    elif ! cmp -s "$a/$f" "$b/$f"; then
      echo "differs: $f"; bad=1
    fi
  done
  [ $bad -eq 0 ] && echo "same-output: all $(ls "$a" | wc -l) files identical"
  return $bad
}

case ${1:-} in
  make) [ $# -eq 3 ] || { echo "usage: $0 make EMUCONV OUTDIR" >&2; exit 2; }
        make_outputs "$2" "$3" ;;
  compare) [ $# -eq 3 ] || { echo "usage: $0 compare DIR1 DIR2" >&2; exit 2; }
        compare_outputs "$2" "$3" ;;
  *) echo "usage: $0 make EMUCONV OUTDIR | compare DIR1 DIR2" >&2; exit 2 ;;
esac
