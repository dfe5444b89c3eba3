# SPDX-License-Identifier: MIT
# tests/lib.sh - sourced by the TAP scripts in tests/cli/.
# Gives: pass/fail/check (TAP lines), done_testing (the plan), a scratch
# directory $TMP removed at exit, need_validator, and paths:
#   $EMUCONV  the built program      $VALIDATE  tests/validate (epubcheck, jing)
#   $SEEDS    the seed texts          $PY        python3
set -u
: "${EMUCONV:?run through make check}"
: "${top_srcdir:?run through make check}"
SEEDS=$top_srcdir/seeds
DATA=$top_srcdir/tests/data
PY=${PYTHON3:-python3}
TOOLS=$top_srcdir/tests
TMP=$(mktemp -d "${TMPDIR:-/tmp}/emuconv-test.XXXXXX") || exit 1
VGDIR=
trap 'rm -rf "$TMP" $VGDIR' EXIT
# Under `make check-valgrind` every emuconv run goes through valgrind; its
# errors (exit 99) fail the test that ran it.
if [ -n "${EMUCONV_VALGRIND:-}" ]; then
  VGDIR=$(mktemp -d "${TMPDIR:-/tmp}/emuconv-vg.XXXXXX") || exit 1
  # valgrind runs the real program (.libs/emuconv, as libtool's wrapper
  # would, with the build tree's libemuconv), not through `libtool
  # --mode=execute`, which reads every argument that names a file to see
  # whether it is a libtool wrapper: an output named /proc/self/fd/1 made
  # that read block for ever (t0520).
  if [ -x "$top_builddir/.libs/emuconv" ]; then
    cat > "$VGDIR/emuconv" <<WRAP
#!/bin/sh
LD_LIBRARY_PATH="$top_builddir/core/.libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
exec $EMUCONV_VALGRIND "$top_builddir/.libs/emuconv" "\$@"
WRAP
  else
    cat > "$VGDIR/emuconv" <<WRAP
#!/bin/sh
exec "$top_builddir/libtool" --mode=execute $EMUCONV_VALGRIND "$EMUCONV" "\$@"
WRAP
  fi
  chmod +x "$VGDIR/emuconv"
  EMUCONV=$VGDIR/emuconv
fi
tap_n=0
tap_failed=0

pass() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
fail() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESCRIPTION COMMAND...: one test point from a command's status; the
# command's output is shown as diagnostics when it fails.  Status 77 is
# $VALIDATE's "a schema this file needs is missing": the point is skipped
# with the validator's reason (where to get the schemas), except under
# CI=true, where every schema must be there.
check() {
  local desc=$1 out rc
  shift
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -eq 0 ]; then pass "$desc"
  elif [ "$rc" -eq 77 ] && [ "${CI:-}" != true ]; then
    tap_n=$((tap_n + 1))
    echo "ok $tap_n - $desc # SKIP $(printf '%s\n' "$out" | grep -m1 'SKIP: ' | sed 's/.*SKIP: //')"
  else
    fail "$desc"; diag "$out"
    [ "$rc" -ne 77 ] || diag "(under CI=true a missing schema is a failure)"
  fi
}

# check_fails DESCRIPTION STATUS COMMAND...: the command must exit STATUS.
check_status() {
  local desc=$1 want=$2 out rc
  shift 2
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -eq "$want" ]; then pass "$desc"; else fail "$desc (exit $rc, wanted $want)"; diag "$out"; fi
}

done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }

skip_all() { echo "1..0 # SKIP $*"; exit 0; }

# unprivileged: sets $UNPRIV to a command prefix that runs a command as an
# ordinary user (nobody, through util-linux's setpriv) when the tests run
# as root, so that what permissions forbid can be tested as root too (CI
# runs as root); empty when not root.  Returns 1 (and $UNPRIV is unset)
# when root cannot drop to a user who can run $EMUCONV from here.  Files
# that user must reach: make them world-readable, and $TMP traversable.
unprivileged() {
  UNPRIV=
  [ "$(id -u)" = 0 ] || return 0
  command -v setpriv >/dev/null 2>&1 || return 1
  chmod 755 "$TMP" ${VGDIR:+"$VGDIR"}
  UNPRIV="setpriv --reuid=65534 --regid=65534 --clear-groups --"
  $UNPRIV "$EMUCONV" --version >/dev/null 2>&1 || { UNPRIV=; return 1; }
}

# Tests that validate their outputs need $VALIDATE and the checkers it runs
# (Debian packages, which `bootstrap --install-deps` installs); without
# them the test skips, but under CI=true it fails.  The schemas are not
# needed here: a check whose schema is missing skips alone (see check).
need_validator() {
  if ! { [ -x "${VALIDATE:-}" ] && "$VALIDATE" --help >/dev/null 2>&1; }; then
    if [ "${CI:-}" = true ]; then
      echo "Bail out! validator missing or broken: '${VALIDATE:-}' (under CI=true this is a failure)"
      exit 1
    fi
    skip_all "validator not found: '${VALIDATE:-}' (configure --with-validate=PATH)"
  fi
  need_tool java default-jre-headless
  need_tool jing jing
  need_tool xmllint libxml2-utils
  need_tool xsltproc xsltproc
  need_tool unzip unzip
  [ -f "${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}" ] || need_tool epubcheck epubcheck
}

# Slow external checkers (LibreOffice, Ace, the Nu HTML checker) run once,
# in `make check`: check-sanitizers, check-valgrind and check-all's
# distcheck set EMUCONV_SLOW_CHECKS=no, since they test emuconv, not the
# checkers' view of the same outputs again.  A test skips those checks
# (only those) when slow_checks fails.
slow_checks() { [ "${EMUCONV_SLOW_CHECKS:-yes}" != no ]; }

# need_tool CMD PACKAGE: same rule for other external checkers.
need_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "${CI:-}" = true ]; then
    echo "Bail out! $1 missing (apt-get install $2); under CI=true this is a failure"
    exit 1
  fi
  skip_all "$1 not found (apt-get install $2)"
}

# every_sentence INPUT OUTPUT: each sentence of INPUT's text is in OUTPUT's
# text (both NFC-normalised, white space folded).
every_sentence() { "$PY" "$TOOLS/textcheck.py" "$@"; }

# The seeds, one per line.
seeds() { ls "$SEEDS"/*.txt; }
