#!/bin/sh
# SPDX-License-Identifier: MIT
# run-fuzzers.sh SRCDIR BUILDDIR NAME... - run fuzz/fuzz-NAME of BUILDDIR
# for $FUZZ_SECONDS each (make fuzz).  Seeds are copied from the committed
# fixtures at run time; the corpus each run grows is kept in
# BUILDDIR/fuzz/corpus/NAME for the next run.  Prints the executions per
# harness (and appends them to BUILDDIR/fuzz/executions.log); exits 1 when
# a harness crashed, leaked, timed out or ran out of memory, with the
# reproducer under BUILDDIR/fuzz/artifacts/.
set -u
srcdir=$1 builddir=$2
shift 2
seconds=${FUZZ_SECONDS:-60}
rss=${FUZZ_RSS_MB:-2048}
timeout=${FUZZ_TIMEOUT:-20}
# FUZZ_MAX_LEN caps the input length (libFuzzer's -max_len).  Unset, libFuzzer
# takes the largest seed (the seeds are ~100 kB texts): thorough but slow.  A
# long run for volume sets it to a few kB: ~10x the executions per second.
maxlen=${FUZZ_MAX_LEN:-}
fz=$builddir/fuzz
mkdir -p "$fz/artifacts" "$fz/work"

# seed NAME DIR: fills DIR with the fixtures a harness starts from.
seed() {
  rm -rf "$2" && mkdir -p "$2"
  case $1 in
    txt) cp "$srcdir"/seeds/*.txt "$srcdir"/tests/data/govtext/*.txt "$2"/ ;;
    html) cp "$srcdir"/tests/data/html/*.html "$srcdir"/tests/data/html/*.xhtml "$2"/ ;;
    docx) cp "$srcdir"/tests/data/docx/*.docx "$2"/ ;;
    ir)
      cp "$srcdir"/tests/data/rich.ir.xml "$2"/
      # The IR of a few real inputs, made by this build's own emuconv.
      for f in "$srcdir"/seeds/*.txt "$srcdir"/tests/data/html/en-news.html \
               "$srcdir"/tests/data/docx/lo-structure.docx; do
        b=$(basename "$f")
        ASAN_OPTIONS=detect_leaks=0 "$EMUCONV" -q "$f" "$2/$b.ir" 2>/dev/null ||
          rm -f "$2/$b.ir"
      done ;;
    odt|tei|epub)
      # No committed ODT or EPUB fixture (LibreOffice makes them in t1310): the
      # packages this build's own writer makes of a few real inputs.
      [ "$1" = tei ] && cp "$srcdir"/tests/data/tei/*.tei "$2"/
      for f in "$srcdir"/seeds/sonla-emulation.hi.txt "$srcdir"/tests/data/html/en-news.html \
               "$srcdir"/tests/data/html/table-lists.html "$srcdir"/tests/data/rich.ir.xml \
               "$srcdir"/tests/data/docx/lo-structure.docx; do
        b=$(basename "$f")
        ASAN_OPTIONS=detect_leaks=0 "$EMUCONV" -q "$f" "$2/$b.$1" 2>/dev/null ||
          rm -f "$2/$b.$1"
      done
      ;;
    docx-xml)
      # The XML parts of the committed DOCX fixtures and, when python-docx
      # is there, of the Word cases t1220 makes, joined as the harness reads
      # them (document, styles, numbering, footnotes, comments, header1,
      # diagram data, separated by form feeds).
      mkdir -p "$2/.docx"
      cp "$srcdir"/tests/data/docx/*.docx "$2/.docx"/
      for p in "${PY:-python3}" /usr/bin/python3; do
        "$p" -c 'import docx' 2>/dev/null || continue
        "$p" "$srcdir/tests/data/docx/make-word-cases.py" "$2/.docx" \
          "$srcdir/tests/data/img/python.png" >/dev/null 2>&1
        break
      done
      python3 "$srcdir/fuzz/docx-xml-seeds.py" "$2" "$2"/.docx/*.docx
      rm -rf "$2/.docx" ;;
    writers) seed ir "$2" ;;
    pipeline) for k in txt html docx ir odt tei epub; do seed "$k" "$2/$k"; done
      find "$2" -mindepth 2 -type f -exec sh -c 'mv "$1" "$(dirname "$(dirname "$1")")/$(basename "$(dirname "$1")")-$(basename "$1")"' _ {} \;
      find "$2" -mindepth 1 -type d -exec rm -rf {} + ;;
  esac
}

# dict NAME: the dictionary file for harness NAME (empty when none).
dict() {
  case $1 in
    docx|docx-xml) echo "$srcdir/fuzz/docx.dict" ;;
    odt) echo "$srcdir/fuzz/odt.dict" ;;
    tei) echo "$srcdir/fuzz/tei.dict" ;;
    epub) echo "$srcdir/fuzz/epub.dict" ;;
    html) echo "$srcdir/fuzz/html.dict" ;;
    ir|writers|pipeline)
      # The IR's element and attribute names, straight from its schema.
      d=$fz/$1.dict.all
      {
        sed -n 's/.*<element name="\([^"]*\)".*/"<\1"/p; s/.*<attribute name="\([^"]*\)".*/" \1=\\""/p' \
          "$srcdir/include/emuconv/ir.rng" | sort -u
        [ "$1" = pipeline ] && cat "$srcdir/fuzz/docx.dict" "$srcdir/fuzz/html.dict"
      } > "$d"
      echo "$d" ;;
  esac
}

status=0
for name in "$@"; do
  bin=$fz/fuzz-$name
  [ -x "$bin" ] || { echo "run-fuzzers: $bin missing (make with --enable-fuzzing)" >&2; exit 2; }
  corpus=$fz/corpus/$name seeds=$fz/seeds/$name log=$fz/work/$name.log
  mkdir -p "$corpus"
  seed "$name" "$seeds"
  d=$(dict "$name")
  (cd "$fz/work" &&
   ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
   UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
   "$bin" -max_total_time="$seconds" -rss_limit_mb="$rss" -timeout="$timeout" \
     -print_final_stats=1 -artifact_prefix="$fz/artifacts/$name-" \
     ${maxlen:+-max_len="$maxlen"} ${d:+-dict="$d"} "$corpus" "$seeds") > "$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  units=$(find "$corpus" -type f | wc -l)
  if [ $rc -eq 0 ]; then
    printf 'fuzz-%s: %s executions in %s s, corpus %s inputs: ok\n' \
      "$name" "${execs:-?}" "$seconds" "$units"
  else
    status=1
    printf 'fuzz-%s: FAILED (exit %s) after %s executions; log %s:\n' \
      "$name" "$rc" "${execs:-?}" "$log"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written|^artifact_prefix|^ +#[0-9]+ 0x' "$log" | head -n 40
    # The next run overwrites the log: keep it beside the reproducer.
    cp "$log" "$fz/artifacts/$name-$(date +%s).log"
  fi
  echo "$(date -u +%FT%TZ) fuzz-$name ${execs:-0} $seconds rc=$rc" >> "$fz/executions.log"
done
exit $status
