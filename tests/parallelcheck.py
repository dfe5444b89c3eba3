#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""parallelcheck.py FORMAT OUTPUT VERSION.ir.xml...

Checks a parallel text written by `emuconv --parallel` (FORMAT tei, epub,
odt or ir) against the versions converted alone to IR (after the same
filters): OUTPUT has one part per version, in order and in the version's
language (TEI div type=translation, EPUB chapter, ODT text:section, IR
translation section), and every sentence of each version's body is in
*its* part.  For tei and ir, also the alignment: one link per text block
of the versions, the n-th link naming the n-th block of every version, in
order.  Prints what it checked; exit 1 on the first failure."""
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from textof import Walker, q, IR, TEI, XHTML, ODF_TEXT, text_xhtml  # noqa: E402
from textcheck import norm, sentences  # noqa: E402

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
UNITS = ("p", "heading", "pre", "term", "caption")


def fail(msg):
    print("parallelcheck: " + msg)
    sys.exit(1)


def ir_walker():
    return Walker(q(IR, "p", "heading", "item", "cell", "pre", "caption", "term"),
                  notes=q(IR, "note"), skip=q(IR, "meta"))


def version(path):
    """(language, body sentences, number of text blocks) of a version's IR."""
    root = ET.parse(path).getroot()
    body = root.find("{%s}body" % IR)
    units = []

    def walk(el):
        for c in el:
            if c.tag in ["{%s}%s" % (IR, u) for u in UNITS]:
                units.append(c)
            elif c.tag != "{%s}note" % IR:
                walk(c)
    walk(body)
    return root.get(XML_LANG), sentences(ir_walker().run(body)), len(units)


def check_sentences(name, want, text):
    have = norm(text)
    missing = [s for s in want if s not in have]
    if missing:
        fail("%s: %d of %d sentences missing; first: %r" % (name, len(missing), len(want),
                                                            missing[0][:120]))


def parts_tei(path):
    root = ET.parse(path).getroot()
    divs = [d for d in root.iter("{%s}div" % TEI) if d.get("type") == "translation"]
    w = Walker(q(TEI, "p", "head", "item", "cell", "label", "eg"), notes=q(TEI, "note"))
    parts = [(d.get(XML_LANG), w.run(d)) for d in divs]
    blocks = [[e.get(XML_ID) for e in d.iter() if e.tag in q(TEI, "p", "head", "eg", "label")
               and e.get(XML_ID)] for d in divs]
    links = [l.get("target").split() for g in root.iter("{%s}linkGrp" % TEI)
             for l in g.iter("{%s}link" % TEI)]
    return parts, [["#" + i for i in b] for b in blocks], links


def parts_ir(path):
    root = ET.parse(path).getroot()
    body = root.find("{%s}body" % IR)
    secs = [s for s in body if s.get("type") == "translation"]
    parts = [(s.get(XML_LANG), ir_walker().run(s)) for s in secs]
    blocks = []
    for s in secs:
        ids = []

        def walk(el):
            for c in el:
                if c.tag in ["{%s}%s" % (IR, u) for u in UNITS]:
                    ids.append(c.get(XML_ID))
                elif c.tag not in ("{%s}note" % IR, "{%s}meta" % IR):
                    walk(c)
        for c in list(s)[2:]:  # heading and meta are the version's, not its text
            if c.tag in ["{%s}%s" % (IR, u) for u in UNITS]:
                ids.append(c.get(XML_ID))
            else:
                walk(c)
        blocks.append(ids)
    al = root.find("{%s}alignment" % IR)
    links = [l.get("targets").split() for l in al] if al is not None else []
    return parts, blocks, links


def parts_epub(path):
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if re.match(r"EPUB/c\d+\.xhtml$", n))
        nav = ET.fromstring(z.read("EPUB/nav.xhtml"))
        parts = []
        for n in names:
            root = ET.fromstring(z.read(n))
            parts.append((root.get(XML_LANG), text_xhtml(z.read(n))))
    toc = nav.find(".//{%s}nav" % XHTML)
    entries = [(a.get("href").split("#")[0], a.get(XML_LANG)) for a in toc.iter("{%s}a" % XHTML)]
    return parts, names, entries


def parts_odt(path):
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("content.xml"))
    w = Walker(q(ODF_TEXT, "p", "h"), notes=q(ODF_TEXT, "note"),
               skip=q(ODF_TEXT, "note-citation"))
    return [(s.get("{%s}name" % ODF_TEXT), w.run(s)) for s in root.iter("{%s}section" % ODF_TEXT)]


def main():
    fmt, out, irs = sys.argv[1], sys.argv[2], sys.argv[3:]
    vs = [version(p) for p in irs]
    if fmt == "epub":
        parts, names, entries = parts_epub(out)
        if [h for h, _ in entries] != [n.split("/")[-1] for n in names]:
            fail("the navigation lists %r, the chapters are %r" % (entries, names))
        for (h, lang), (vlang, _, _) in zip(entries, vs):
            if lang not in (None, vlang) or (lang is None and vlang != vs[0][0]):
                fail("navigation entry %s: lang %r, wanted %r" % (h, lang, vlang))
    elif fmt == "odt":
        parts = parts_odt(out)
    else:
        parts, blocks, links = (parts_tei if fmt == "tei" else parts_ir)(out)
    if len(parts) != len(vs):
        fail("%d parts in %s, %d versions" % (len(parts), out, len(vs)))
    for i, ((lang, text), (vlang, want, n)) in enumerate(zip(parts, vs)):
        if lang != vlang:
            fail("part %d is %r, version %d is %r" % (i + 1, lang, i + 1, vlang))
        check_sentences("part %d (%s)" % (i + 1, lang), want, text)
    total = sum(len(v[1]) for v in vs)
    if fmt in ("tei", "ir"):
        n = vs[0][2]
        if any(len(b) != n for b in blocks):
            fail("text blocks with ids per part: %r, wanted %d each" % ([len(b) for b in blocks], n))
        if len(links) != n:
            fail("%d links, %d text blocks per version" % (len(links), n))
        for k, link in enumerate(links):
            want = [b[k] for b in blocks]
            if link != want:
                fail("link %d targets %r, wanted %r" % (k + 1, link, want))
        print("parallelcheck: %d parts in their languages, all %d sentences in their part, "
              "%d links of %d targets" % (len(parts), total, len(links), len(vs)))
    else:
        print("parallelcheck: %d parts in their languages, all %d sentences in their part"
              % (len(parts), total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
