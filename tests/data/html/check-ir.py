#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-ir.py IR EXPECT - checks an IR document against an .expect file
(format: see make-fixtures.py).  Prints every failed check; exit 1 if any.

Text blocks are the IR's p, heading, pre, caption and term elements in
document order; a block's text leaves out its notes (whose own paragraphs
follow it as blocks) and counts <br> as a space; ASCII white space is folded
(a no-break space is kept), except in pre, which is only stripped of
leading and trailing newlines."""
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

IR = "urn:emuconv:ir:1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"ir": IR}
KINDS = ("p", "heading", "pre", "caption", "term")


def fold(s):
    s = unicodedata.normalize("NFC", s)
    return re.sub(r"[ \t\n\r\f]+", " ", s).strip(" ")


def text_of(el):
    """Text of EL without its notes; br as a space."""
    parts = []
    if el.text:
        parts.append(el.text)
    for c in el:
        tag = c.tag.split("}")[1]
        if tag == "note":
            pass
        elif tag == "br":
            parts.append(" ")
        else:
            parts.append(text_of(c))
        if c.tail:
            parts.append(c.tail)
    return "".join(parts)


def blocks(root):
    parent = {c: p for p in root.iter() for c in p}

    def lang(el):
        while el is not None:
            v = el.get(XML_LANG)
            if v:
                return v
            el = parent.get(el)
        return None

    body = root.find("ir:body", NS)
    out = []
    for el in body.iter():
        tag = el.tag.split("}")[1]
        if tag not in KINDS:
            continue
        t = text_of(el)
        t = unicodedata.normalize("NFC", t).strip("\n") if tag == "pre" else fold(t)
        out.append((tag, t, lang(el)))
    return out


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    root = ET.parse(sys.argv[1]).getroot()
    got = blocks(root)
    body_text = fold(" ".join(t for _, t, _ in got) + " " +
                     " ".join(root.find("ir:body", NS).itertext()))
    meta = root.find("ir:meta", NS)
    failures = 0
    pos = 0
    checks = 0

    def bad(msg):
        nonlocal failures
        failures += 1
        print("FAIL: " + msg)

    for line in open(sys.argv[2], encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        checks += 1
        key, _, want = line.partition(" = ")
        want = want.replace("\\n", "\n")
        words = key.split()
        if words[0] == "meta":
            el = meta.find("ir:" + words[1], NS)
            have = fold(el.text or "") if el is not None else None
            if have != fold(want):
                bad("meta %s: wanted %r, got %r" % (words[1], want, have))
        elif words[0] == "field":
            vals = [fold(f.text or "") for f in meta.findall("ir:field", NS)
                    if f.get("name") == words[1]]
            if fold(want) not in vals:
                bad("field %s: wanted %r, got %r" % (words[1], want, vals))
        elif words[0] == "block":
            kind, _, lng = words[1].rstrip("~").partition("@")
            kind = kind.rstrip("~")
            w = want if kind == "pre" else fold(want)
            for i in range(pos, len(got)):
                k, t, l = got[i]
                if (kind == "any" or k == kind) and t == w:
                    if lng and l != lng:
                        bad("block %r: language %r, wanted %r" % (w[:60], l, lng))
                    pos = i + 1
                    break
            else:
                earlier = [i for i, (k, t, _) in enumerate(got) if t == w]
                near = [t for k, t, _ in got[pos:pos + 3]]
                bad("block %s %r not found after block %d%s; next blocks: %r" %
                    (kind, w[:80], pos, " (it is earlier, out of order)" if earlier else "",
                     [n[:60] for n in near]))
        elif words[0] == "absent":
            if want in body_text:
                i = body_text.index(want)
                bad("absent %r is there: ...%s..." % (want, body_text[max(0, i - 40):i + 60]))
        elif words[0] == "contains":
            if fold(want) not in body_text:
                bad("contains %r: not there" % want)
        elif words[0] == "count":
            n = len(root.findall(words[1], NS))
            if n != int(want):
                bad("count %s: wanted %s, got %d" % (words[1], want, n))
        elif words[0] == "attr":
            el = root.find(words[1], NS)
            if el is None:
                bad("attr %s: no such element" % words[1])
            else:
                have = el.get(words[2])
                if str(have) != want:
                    bad("attr %s %s: wanted %r, got %r" % (words[1], words[2], want, have))
        else:
            bad("unknown check: " + line)
    if failures:
        print("%d of %d checks failed" % (failures, checks))
        return 1
    print("all %d checks passed" % checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
