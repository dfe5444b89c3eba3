#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""irq.py COMMAND IR-FILE [ARGS] - queries on an IR document for the
t3xxx tests (standard library only).

  lines OUT             an IR document with one <p> per line of stdin
  meta FILE KEY         the values of <meta><KEY>, one a line; for title:
                        "derived<TAB>TEXT" or "given<TAB>TEXT"
  blocks FILE           each text block of the body (p, heading, caption,
                        term) as "LANG<TAB>TEXT": LANG is the block's
                        effective xml:lang ("-" when none), TEXT its text
                        with white space folded
  refs FILE             each <ref> as "TYPE<TAB>VALUE<TAB>TEXT"
  titleok FILE BASE     a derived title has at most about 80 characters
                        (90: a whole clause) and, without its "…", is in
                        a block of BASE (a main clause, its first letter
                        made upper case, or the block's start, leading
                        quotation marks aside); a given title passes
  same FILE BASE [TEXT...]
                        the blocks of FILE have exactly the texts of the
                        blocks of BASE, in order, except those of BASE
                        whose text is one of TEXT (they must be gone)
"""
import re
import sys
import xml.etree.ElementTree as ET

IR = "{urn:emuconv:ir:1}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BLOCKS = {IR + n for n in ("p", "heading", "caption", "term")}


def fold(s):
    return re.sub(r"\s+", " ", s).strip()


def text_of(el):
    """The running text of a block, notes left out."""
    out = [el.text or ""]
    for c in el:
        if c.tag != IR + "note":
            out.append(text_of(c))
        out.append(c.tail or "")
    return "".join(out)


def blocks(body, lang0=None):
    res = []

    def walk(el, lang):
        lang = el.get(XML_LANG, lang)
        if el.tag in BLOCKS:
            res.append((lang or "-", fold(text_of(el))))
        if el.tag == IR + "pre":
            return
        for c in el:
            walk(c, lang)

    walk(body, lang0)
    return res


def main(argv):
    cmd, path = argv[1], argv[2]
    if cmd == "lines":
        from xml.sax.saxutils import escape
        with open(path, "w", encoding="utf-8") as out:
            out.write('<document xmlns="urn:emuconv:ir:1"><meta/><body>\n')
            for line in sys.stdin.read().splitlines():
                out.write("<p>%s</p>\n" % escape(line))
            out.write("</body></document>\n")
        return 0
    root = ET.parse(path).getroot()
    meta = root.find(IR + "meta")
    if cmd == "meta":
        for m in meta.findall(IR + argv[3]):
            if argv[3] == "title":
                print("%s\t%s" % ("derived" if m.get("derived") == "true" else "given", m.text or ""))
            else:
                print(m.text or "")
    elif cmd == "blocks":
        for lang, text in blocks(root.find(IR + "body"), root.get(XML_LANG)):
            print("%s\t%s" % (lang, text))
    elif cmd == "refs":
        for r in root.find(IR + "body").iter(IR + "ref"):
            print("%s\t%s\t%s" % (r.get("type"), r.get("value"), fold(text_of(r))))
    elif cmd == "titleok":
        t = meta.find(IR + "title")
        if t is None or t.get("derived") != "true":
            return 0
        title = t.text or ""
        base = [b.lstrip("\"\u201c") for _, b in blocks(ET.parse(argv[3]).getroot().find(IR + "body"))]
        stem = title[:-1] if title.endswith("\u2026") else title
        low = stem[:1].lower() + stem[1:]
        if len(title) > 90 or not any(b.startswith(stem) or low in b or stem in b for b in base):
            print("bad derived title %r (%d characters)" % (title, len(title)))
            return 1
    elif cmd == "same":
        have = [t for _, t in blocks(root.find(IR + "body"))]
        base = [t for _, t in blocks(ET.parse(argv[3]).getroot().find(IR + "body"))]
        gone = set(argv[4:])
        want = [t for t in base if t not in gone]
        if have != want:
            for i, (a, b) in enumerate(zip(have, want)):
                if a != b:
                    print("block %d differs:\n  have %r\n  want %r" % (i + 1, a[:200], b[:200]))
                    break
            else:
                print("%d blocks, wanted %d" % (len(have), len(want)))
            return 1
        missing = [t for t in gone if t not in base]
        if missing:
            print("not in the base document: %r" % missing)
            return 1
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
