#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""collectioncheck.py FORMAT OUTPUT PART.ir...

Checks a collection written by `emuconv -o OUTPUT A B C...` (FORMAT tei,
epub, odt or ir) against its inputs converted alone to IR (after the same
filters): OUTPUT has one part per input, in order (TEI: a teiCorpus with
one TEI per input, each with its own teiHeader titled as the input; EPUB:
the chapters from the one holding section#partN; ODT: text:section
partN; IR: section type="document"), each headed by the input's title, and
every sentence of each input's body is in *its* part.  Prints what it
checked; exit 1 on the first failure."""
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from textof import Walker, q, IR, TEI, XHTML, ODF_TEXT, text_xhtml  # noqa: E402
from textcheck import norm, sentences  # noqa: E402

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def fail(msg):
    print("collectioncheck: " + msg)
    sys.exit(1)


def ir_walker():
    return Walker(q(IR, "p", "heading", "item", "cell", "pre", "caption", "term"),
                  notes=q(IR, "note"), skip=q(IR, "meta"))


def document(path):
    """(title, authors, body sentences) of an input converted alone to IR."""
    root = ET.parse(path).getroot()
    meta = root.find("{%s}meta" % IR)
    title = meta.find("{%s}title" % IR)
    authors = [a.text for a in meta.findall("{%s}author" % IR)]
    body = root.find("{%s}body" % IR)
    return (title.text if title is not None else None, authors,
            sentences(ir_walker().run(body)))


def parts_ir(path):
    body = ET.parse(path).getroot().find("{%s}body" % IR)
    out = []
    for s in body:
        if s.get("type") != "document":
            fail("a body child is not a part: %r" % s.attrib)
        head = s.find("{%s}heading" % IR)
        meta = s.find("{%s}meta" % IR)
        title = meta.find("{%s}title" % IR)
        out.append((s.get(XML_ID), "".join(head.itertext()),
                    title.text if title is not None else None, ir_walker().run(s)))
    return out


def parts_tei(path):
    root = ET.parse(path).getroot()
    if root.tag != "{%s}teiCorpus" % TEI:
        fail("the root is %s, not teiCorpus" % root.tag)
    if root.find("{%s}teiHeader" % TEI) is None:
        fail("the teiCorpus has no teiHeader of its own")
    w = Walker(q(TEI, "p", "head", "item", "cell", "label", "eg"), notes=q(TEI, "note"))
    out = []
    for t in root.findall("{%s}TEI" % TEI):
        hdr = t.find("{%s}teiHeader" % TEI)
        if hdr is None:
            fail("TEI %s has no teiHeader" % t.get(XML_ID))
        title = [e.text for e in hdr.iter("{%s}title" % TEI) if e.get("type") == "main"]
        out.append((t.get(XML_ID), title[0] if title else None, title[0] if title else None,
                    w.run(t.find("{%s}text" % TEI))))
    return out


def parts_epub(path):
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if re.match(r"EPUB/c\d+\.xhtml$", n))
        out = []
        for n in names:
            data = z.read(n)
            root = ET.fromstring(data)
            sec = [s for s in root.iter("{%s}section" % XHTML) if (s.get("id") or "").startswith("part")]
            if sec:
                h = next(e for e in sec[0] if re.match(r"\{%s\}h\d" % XHTML, e.tag))
                out.append([sec[0].get("id"), "".join(h.itertext()), None, ""])
            if not out:
                fail("%s comes before any part" % n)
            out[-1][3] += "\n" + text_xhtml(data)
    return [tuple(p) for p in out]


def parts_odt(path):
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("content.xml"))
    w = Walker(q(ODF_TEXT, "p", "h"), notes=q(ODF_TEXT, "note"),
               skip=q(ODF_TEXT, "note-citation"))
    out = []
    for s in root.iter("{%s}section" % ODF_TEXT):
        h = s.find("{%s}h" % ODF_TEXT)
        out.append((s.get("{%s}name" % ODF_TEXT), "".join(h.itertext()) if h is not None else None,
                    None, w.run(s)))
    return out


def main():
    fmt, out, irs = sys.argv[1], sys.argv[2], sys.argv[3:]
    docs = [document(p) for p in irs]
    parts = {"ir": parts_ir, "tei": parts_tei, "epub": parts_epub, "odt": parts_odt}[fmt](out)
    if len(parts) != len(docs):
        fail("%d parts in %s, %d inputs" % (len(parts), out, len(docs)))
    total = 0
    for i, ((pid, head, title, text), (dtitle, authors, want)) in enumerate(zip(parts, docs)):
        if pid != "part%d" % (i + 1):
            fail("part %d is named %r" % (i + 1, pid))
        if dtitle and norm(head) != norm(dtitle):
            fail("part %d is headed %r, the input's title is %r" % (i + 1, head, dtitle))
        if title is not None and dtitle and norm(title) != norm(dtitle):
            fail("part %d's own metadata has the title %r, not %r" % (i + 1, title, dtitle))
        have = norm(text)
        missing = [s for s in want if s not in have]
        if missing:
            fail("part %d: %d of %d sentences missing; first: %r"
                 % (i + 1, len(missing), len(want), missing[0][:120]))
        if fmt in ("epub", "odt") and authors and not all(norm(a) in have for a in authors):
            fail("part %d does not show its authors %r" % (i + 1, authors))
        total += len(want)
    print("collectioncheck: %d parts, each headed by its title, all %d sentences in their part"
          % (len(parts), total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
