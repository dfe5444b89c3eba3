#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""textcheck.py INPUT OUTPUT [--input-format F] [--output-format F]

Fails (exit 1) unless every sentence of INPUT's text appears verbatim in
OUTPUT's text.  Both sides are NFC-normalised and their white space folded
to single spaces; a hyphen at a line end joins the lines ("socio-\\neconomic"),
as the txt reader does.  Prints how many sentences were checked."""
import argparse
import re
import sys
import unicodedata
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from textof import text_of  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?\u0964\u2026])\s+")


def norm(s):
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"-[ \t]*\n[ \t]*", "-", s)
    return re.sub(r"\s+", " ", s).strip()


def sentences(text):
    out = []
    for line in re.split(r"\n\s*\n|\n", text):
        line = norm(line)
        if not line:
            continue
        out += [s for s in SENTENCE_END.split(line) if s.strip()]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--input-format")
    ap.add_argument("--output-format")
    a = ap.parse_args()
    want = sentences(text_of(a.input, a.input_format))
    have = norm(text_of(a.output, a.output_format))
    missing = [s for s in want if s not in have]
    if not want:
        print("textcheck: no sentences in %s" % a.input)
        return 1
    if missing:
        print("textcheck: %d of %d sentences of %s missing from %s; first: %r"
              % (len(missing), len(want), a.input, a.output, missing[0][:200]))
        return 1
    print("textcheck: all %d sentences found" % len(want))
    return 0


if __name__ == "__main__":
    sys.exit(main())
