# SPDX-License-Identifier: MIT
"""Does a round trip keep what a document says?  (issue 34)

    python3 tests/roundtrip-compare.py [--ignore KIND]... [--quiet] \
        REFERENCE.ir ROUNDTRIP.ir

REFERENCE is the IR of a fixture read directly (emuconv X -t ir), ROUNDTRIP
the IR read back from what a writer made of it (emuconv X out.odt, then
emuconv --no-filter=all out.odt -t ir; the same for .tei, .epub).  Exits 0
when ROUNDTRIP keeps, of REFERENCE:

  sentences  every sentence of every text block (p, heading, pre, term,
             caption; notes apart), found in ROUNDTRIP's text in order of
             appearance anywhere (blocks may be split or joined);
  headings   every section heading with its level (a part or translation
             section's sections count from their own level);
  items      the text of every list item, as a list item;
  cells      the text of every table cell, as a table cell;
  notes      the text of every footnote and endnote, as a note;
  links      every link's target and text.

Text is compared with white space collapsed and Unicode NFC; every missing
thing is printed (one '# '-prefixed line each, for TAP) and the exit status
is 1.  --ignore KIND (repeatable) leaves a kind out, for a difference that
is known and listed in doc/roundtrip.md; --relative-levels compares heading
levels counted from each document's shallowest heading (for another
program's import, which may keep an HTML page's h2 as level 2 where
emuconv's HTML reader makes it 1); --quiet prints only the summary.
Used by tests/cli/t1300-roundtrip.tap for the odt and tei readers, and meant
for every reader that reads what a writer wrote (epub).  Standard library
only (xml.etree)."""

import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter

NS = "{urn:emuconv:ir:1}"
KINDS = ("sentences", "headings", "items", "cells", "notes", "links")
TEXT_BLOCKS = {"p", "heading", "pre", "term", "caption"}
# Where an inline image stood: a writer may put its alt text or a link
# there (ODT does for an external picture), so anything may stand there.
IMAGE = "\x00"


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s or "")).strip()


def found(sentence, flat):
    """SENTENCE in FLAT, what stood at an image's place aside."""
    if IMAGE not in sentence:
        return sentence in flat
    pieces = [p.strip() for p in sentence.split(IMAGE)]
    pieces = [p for p in pieces if p]
    at = 0
    for i, p in enumerate(pieces):
        k = flat.find(p, at)
        if k < 0 or (i and k - at > 300):
            return False
        at = k + len(p)
    return True


def local(el):
    return el.tag[len(NS):] if isinstance(el.tag, str) and el.tag.startswith(NS) else None


def text_of(el, notes=False):
    """The text of EL, without its notes (unless NOTES), <br/> as a space."""
    out = [el.text or ""]
    for c in el:
        name = local(c)
        if name == "note" and not notes:
            pass
        elif name == "br":
            out.append(" ")
        elif name == "image":
            out.append(IMAGE)
        else:
            out.append(text_of(c, notes))
        out.append(c.tail or "")
    return "".join(out)


def sentences(text):
    parts = re.split(r"(?<=[.!?\u0964\u3002])\s+", text)
    return [p for p in (norm(x) for x in parts) if p.replace(IMAGE, "").strip()]


class Doc:
    def __init__(self, path):
        tree = ET.parse(path)
        body = tree.getroot().find(NS + "body")
        self.blocks, self.headings, self.items = [], [], []
        self.cells, self.notes, self.links = [], [], []
        if body is not None:
            self.walk(body, 0, False)
        self.flat = " ".join(self.blocks).replace(IMAGE, "")

    def walk(self, el, base, in_note):
        for c in el:
            name = local(c)
            if name is None or name == "meta":
                continue
            if name == "section":
                lvl = int(c.get("level", "1"))
                if c.get("type"):  # a part or translation: levels count from it
                    sub = 0
                else:
                    sub = base
                h = c.find(NS + "heading")
                if h is not None and not c.get("type"):
                    self.headings.append((lvl - base, norm(text_of(h))))
                self.walk(c, sub if c.get("type") else base, in_note)
                continue
            if name == "note":
                self.notes.append(norm(text_of(c, True)))
                self.walk(c, base, True)
                continue
            if name == "a" and c.get("href"):
                self.links.append((c.get("href"), norm(text_of(c, False))))
            if name == "item":
                self.items.append(norm(text_of(c, False)))
            if name == "cell":
                self.cells.append(norm(text_of(c, False)))
            if name in TEXT_BLOCKS and not in_note:
                t = norm(text_of(c))
                if t:
                    self.blocks.append(t)
            self.walk(c, base, in_note)


def missing_multiset(want, have):
    left = Counter(have)
    out = []
    for w in want:
        if left[w] > 0:
            left[w] -= 1
        else:
            out.append(w)
    return out


def compare(ref, rt, ignore):
    problems = []
    if "sentences" not in ignore:
        flat = rt.flat
        for block in ref.blocks:
            for s in sentences(block):
                if not found(s, flat):
                    problems.append(("sentences", s.replace(IMAGE, "[image]")))
    if "headings" not in ignore:
        for lvl, h in missing_multiset(ref.headings, rt.headings):
            problems.append(("headings", "level %d: %s" % (lvl, h)))
    if "items" not in ignore:
        for i in missing_multiset(ref.items, rt.items):
            problems.append(("items", i))
    if "cells" not in ignore:
        for c in missing_multiset(ref.cells, rt.cells):
            problems.append(("cells", c))
    if "notes" not in ignore:
        for n in missing_multiset(ref.notes, rt.notes):
            problems.append(("notes", n))
    if "links" not in ignore:
        for href, text in missing_multiset(ref.links, rt.links):
            problems.append(("links", "%s -> %s" % (text, href)))
    return problems


def main(argv):
    ignore, quiet, relative, files = set(), False, False, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--ignore" and i + 1 < len(argv):
            for k in argv[i + 1].split(","):
                if k not in KINDS:
                    print("roundtrip-compare: unknown kind %r (one of %s)" % (k, ", ".join(KINDS)),
                          file=sys.stderr)
                    return 2
                ignore.add(k)
            i += 2
            continue
        if a == "--quiet":
            quiet = True
        elif a == "--relative-levels":
            relative = True
        elif a.startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            files.append(a)
        i += 1
    if len(files) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    ref, rt = Doc(files[0]), Doc(files[1])
    if relative:
        for d in (ref, rt):
            top = min((lvl for lvl, _ in d.headings), default=1)
            d.headings = [(lvl - top + 1, h) for lvl, h in d.headings]
    problems = compare(ref, rt, ignore)
    counts = Counter(k for k, _ in problems)
    if not quiet:
        for kind, what in problems[:40]:
            print("# missing %s: %s" % (kind[:-1] if kind != "sentences" else "sentence",
                                        what[:160]))
        if len(problems) > 40:
            print("# ... and %d more" % (len(problems) - 40))
    total = (sum(len(sentences(b)) for b in ref.blocks), len(ref.headings), len(ref.items),
             len(ref.cells), len(ref.notes), len(ref.links))
    print("# %s: %s" % (files[1], ", ".join(
        "%s %d/%d" % (k, n - counts[k], n) for k, n in zip(KINDS, total) if k not in ignore)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
