#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""expected.py: the structure an official document states by its own
markers, and a score of emuconv's IR against it (doc/layout.md).

  expected.py expect TEXT            print the expected structure as JSON
  expected.py score TEXT IR [--min-headings P] [--min-nesting P] [--min-labels P]

The expected structure is derived from the text alone, with regular
expressions written apart from the reader's tables (so that a wrong table
is caught): heading lines (Phần/Chương/Mục/Tiểu mục/Điều; BAB/Bagian/
Paragraf/Pasal; PART/CHAPTER, sections "1. Title.—"), their rank (part > chapter > section >
subsection > article), and list labels (khoản "1.", điểm "a)" .. "đ)";
ayat "(1)", huruf "a."; "(a)", "(iv)", "(A)"), each as its item n: the
label without its punctuation.  The score:
  headings: expected headings found as IR headings (text starts with the line)
  nesting:  of those, the ones whose IR section sits in the section of the
            expected parent heading (the nearest higher-ranked one before)
  labels:   expected list labels found, in order, as IR item n attributes
  meta:     number, date, title present in the IR metadata
Exit 1 when a --min-* percentage is not reached."""
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

IR = "urn:emuconv:ir:1"

# (rank, type, regex) of heading lines; lower rank = outer
HEADINGS = [
    (0, "part", r"(?i)^(phần thứ \w+|phần [ivxlc]+|part [ivxlc\d]+|buku \w+)\b"),
    (1, "chapter", r"(?i)^(chương [ivxlc\d]+|chapter [ivxlc\d]+|bab [ivxlc]+)\b"),
    (2, "section", r"(?i)^(mục \d+|bagian \w+)\b"),
    (3, "subsection", r"(?i)^(tiểu mục \d+|paragraf \d+)\b"),
    (4, "article", r"^(Điều \d+[.:]|Điều \d+$|Pasal \d+[A-Z]?$|\d+[A-Z]?\. [^—]{1,200}\.—)"),
]
# (depth, regex with the label as group 1)
ITEMS = [
    (0, r"^(\d+)\.\s"),
    (0, r"^\((\d+)\)\s"),
    (1, r"^([a-zđ])\)\s"),
    (1, r"^([a-z])\.\s"),
    (1, r"^\(([a-z]|[ivx]+)\)\s"),
    (2, r"^\(([A-Z])\)\s"),
]


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def expect(path):
    lines = [norm(x) for x in open(path, encoding="utf-8").read().splitlines()]
    lines = [x for x in lines if x]
    heads, labels = [], []
    for ln in lines:
        for rank, typ, rx in HEADINGS:
            if re.match(rx, ln):
                # a section with its marginal title: "1. Short title.—(1) …"
                text = ln.split(".—")[0] + "." if ".—" in ln else ln
                heads.append({"rank": rank, "type": typ, "text": text})
                # the text after the marginal title may start with a label
                m = re.match(r"\((\d+)\)\s", ln[len(text) + 1:])
                if text != ln and m:
                    labels.append(m.group(1))
                break
        else:
            for depth, rx in ITEMS:
                m = re.match(rx, ln)
                if m:
                    labels.append(m.group(1))
                    break
    # the expected parent: the nearest heading of a lower rank before
    for i, h in enumerate(heads):
        h["parent"] = None
        for j in range(i - 1, -1, -1):
            if heads[j]["rank"] < h["rank"]:
                h["parent"] = j
                break
    return {"headings": heads, "labels": labels}


def ir_sections(path):
    root = ET.parse(path).getroot()
    out = []  # (heading text, section element, parent section element)

    def walk(el, parent_sec):
        for c in el:
            if c.tag == "{%s}section" % IR:
                h = c.find("{%s}heading" % IR)
                text = norm("".join(h.itertext())) if h is not None else ""
                out.append((text, c, parent_sec))
                walk(c, c)
    walk(root.find("{%s}body" % IR), None)
    items = [i.get("n") for i in root.iter("{%s}item" % IR) if i.get("n") is not None]
    meta = root.find("{%s}meta" % IR)
    have = {c.tag.split("}")[1] for c in meta} if meta is not None else set()
    return out, items, have


def score(text, ir):
    exp = expect(text)
    secs, items, meta = ir_sections(ir)
    found = {}  # expected index -> (section, parent section)
    k = 0
    for i, h in enumerate(exp["headings"]):
        for j in range(k, len(secs)):
            if secs[j][0].startswith(h["text"]):
                found[i] = secs[j]
                k = j + 1
                break
    nested = 0
    for i, (text_, sec, parent) in found.items():
        p = exp["headings"][i]["parent"]
        if p is None:
            nested += parent is None or all(exp["headings"][x]["rank"] >= exp["headings"][i]["rank"]
                                            for x in range(i))
        elif p in found and found[p][1] is parent:
            nested += 1
    # labels, in order
    k = labels = 0
    for lab in exp["labels"]:
        for j in range(k, len(items)):
            if items[j] == lab:
                labels += 1
                k = j + 1
                break
    n_h, n_l = len(exp["headings"]), len(exp["labels"])
    pct = lambda a, b: 100.0 * a / b if b else 100.0
    return {
        "headings": n_h, "headings_found": len(found), "headings_pct": pct(len(found), n_h),
        "nesting_pct": pct(nested, len(found)),
        "labels": n_l, "labels_found": labels, "labels_pct": pct(labels, n_l),
        "meta": sorted(meta & {"identifier", "date", "title", "publisher"}),
    }


def main(argv):
    if len(argv) >= 3 and argv[1] == "expect":
        json.dump(expect(argv[2]), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if len(argv) >= 4 and argv[1] == "score":
        s = score(argv[2], argv[3])
        print(json.dumps(s, ensure_ascii=False))
        mins = dict(zip(argv[4::2], argv[5::2]))
        ok = True
        for key, field in (("--min-headings", "headings_pct"), ("--min-nesting", "nesting_pct"),
                           ("--min-labels", "labels_pct")):
            if key in mins and s[field] < float(mins[key]):
                print("%s: %.1f < %s" % (field, s[field], mins[key]))
                ok = False
        return 0 if ok else 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
