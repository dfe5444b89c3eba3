#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""make-bench.py OUT.docx: the ~2 MB-of-text DOCX of issue 7's speed check,
made with python-docx from the seed paragraphs in turn (the cycle is longer
than deflate's window, so it compresses like real text): a heading every 20
paragraphs, a bold or italic run in most.  Then, for instance:
  /usr/bin/time -v emuconv OUT.docx out.epub
  /usr/bin/time -v pandoc -f docx OUT.docx -t epub3 -o out.epub"""
import glob
import os
import sys

import docx

seeds = []
for f in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "seeds", "*.txt"))):
    seeds += [l.strip() for l in open(f, encoding="utf-8") if len(l.strip()) > 40]
d = docx.Document()
total, i = 0, 0
while total < 2_000_000:
    s = seeds[i % len(seeds)]
    if i % 20 == 0:
        d.add_heading("Part %d: %s" % (i // 20 + 1, s[:40]), level=1 + (i // 20) % 3)
    p = d.add_paragraph()
    words = s.split(" ")
    third = len(words) // 3
    p.add_run(" ".join(words[:third]) + " ")
    r = p.add_run(" ".join(words[third:third + 5]) + " ")
    r.bold = i % 2 == 0
    r.italic = i % 3 == 0
    p.add_run(" ".join(words[third + 5:]))
    total += len(s)
    i += 1
d.save(sys.argv[1])
print("paragraphs", i, "text characters", total)
