#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make-big-page.py [SIZE_MB] > page.html - a government-news-shaped page of
about SIZE_MB (default 2) megabytes for speed measurements: en-news.html's
menus, sidebar and footer around one long article made of the seeds' lines
(five languages' worth of paragraphs, headings every ten paragraphs, a table
and a list now and then).  Not used by the tests."""
import html
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "..", "..", "seeds")
size = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
paras = []
for name in sorted(os.listdir(SEEDS)):
    if name.endswith(".txt"):
        with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
            paras += [l.strip() for l in f if len(l.strip()) > 40]
page = open(os.path.join(HERE, "en-news.html"), encoding="utf-8").read()
head, rest = page.split('<div class="article-body">', 1)
_, tail = rest.split('<div class="tags">', 1)
out, n, i = [], 0, 0
target = int(size * 1024 * 1024) - len(head) - len(tail)
while n < target:
    p = paras[i % len(paras)]
    if i % 10 == 0:
        s = "<h2>Part %d</h2>\n" % (i // 10 + 1)
    elif i % 37 == 0:
        s = ("<table><tr><th>District</th><th>Houses</th></tr><tr><td>Muong La</td><td>%d</td></tr>"
             "<tr><td>Moc Chau</td><td>%d</td></tr></table>\n" % (i, i * 2))
    elif i % 23 == 0:
        s = "<ul><li>%s</li><li><a href=\"/tin/%d\">%s</a></li></ul>\n" % (
            html.escape(p[:80]), i, html.escape(p[80:160]))
    else:
        s = "<p>%s <em>%s</em></p>\n" % (html.escape(p), html.escape(p[:30]))
    out.append(s)
    n += len(s.encode("utf-8"))
    i += 1
sys.stdout.write(head + '<div class="article-body">\n' + "".join(out) + '</div>\n<div class="tags">' + tail)
