# SPDX-License-Identifier: MIT
"""ircheck-diff.py - the IR reader's linear grammar check (core/irtree-check.c)
against the RELAX NG schema itself (xmllint --relaxng), on random mutations
of IR documents: renamed, emptied, moved elements, added and removed
attributes, stray text.  Prints TAP: one line per document's mutations and
a plan; every verdict (accepted or refused) must agree.

  ircheck-diff.py EMUCONV SCHEMA COUNT SEED IR...
"""
import os
import random
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = "urn:emuconv:ir:1"
XML = "{http://www.w3.org/XML/1998/namespace}"
NAMES = ["p", "quote", "list", "item", "deflist", "term", "definition", "table", "row", "cell",
         "caption", "pre", "figure", "image", "hr", "em", "strong", "u", "sup", "sub", "code",
         "span", "a", "note", "ref", "br", "section", "heading", "title", "author", "meta", "link",
         "alignment", "blink"]
ATTRS = [("level", "3"), ("level", "9"), ("ordered", "yes"), ("ordered", "true"), ("start", "-4"),
         ("start", "x"), ("style", "dash"), ("style", "bogus"), ("colspan", "0"), ("colspan", "2"),
         ("rowspan", "+3"), ("header", "1"), ("kind", "side"), ("kind", "end"), ("type", "docno"),
         ("type", "1x"), ("href", "x"), ("ref", "a.png"), ("src", "http://x"), ("alt", "a"),
         ("class", "a b"), ("class", ""), (XML + "lang", "en-GB"), (XML + "lang", "english-language"),
         ("foo", "bar"), (XML + "id", "1abc"), (XML + "id", "okid"), ("version", "2.0"),
         ("derived", "false"), ("language", "c")]


def mutate(r, root):
    els = [e for e in root.iter() if e is not root and e.tag not in ("{%s}meta" % NS, "{%s}body" % NS)]
    for _ in range(r.randint(1, 2)):
        e = r.choice(els)
        m = r.randint(0, 5)
        if m == 0:
            e.tag = "{%s}%s" % (NS, r.choice(NAMES))
        elif m == 1:
            e.set(*r.choice(ATTRS))
        elif m == 2 and len(e):
            del e[r.randrange(len(e))]
        elif m == 3:
            e.text = (e.text or "") + "stray"
        elif m == 4:
            o = r.choice(els)
            if o is not e and e not in list(o.iter()):
                c = ET.SubElement(e, o.tag)
                c.attrib.update(o.attrib)
                c.text = o.text
        else:
            e.attrib.clear()


def main():
    emuconv, schema, count, seed, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
    ET.register_namespace("", NS)
    r = random.Random(seed)
    tmp = tempfile.mkdtemp()
    path, out = os.path.join(tmp, "m.ir"), os.path.join(tmp, "o.ir")
    n = failed = accepted = 0
    for i in range(count):
        f = files[i % len(files)]
        tree = ET.parse(f)
        root = tree.getroot()
        res = root.find("{%s}resources" % NS)
        if res is not None:
            root.remove(res)
        mutate(r, root)
        tree.write(path, xml_declaration=True, encoding="UTF-8")
        rng = subprocess.run(["xmllint", "--noout", "--relaxng", schema, path],
                             capture_output=True).returncode == 0
        ours = subprocess.run([emuconv, "-f", "ir", "-t", "ir", "--no-filter", "all", path, "-o", out],
                              capture_output=True)
        n += 1
        accepted += ours.returncode == 0
        if (ours.returncode == 0) != rng:
            failed += 1
            print("not ok %d - mutation %d of %s: schema %s, reader %s" % (
                n, i, os.path.basename(f), "accepts" if rng else "refuses",
                "accepts" if ours.returncode == 0 else "refuses"))
            for line in open(path, encoding="utf-8").read().splitlines()[:40]:
                print("# " + line)
            print("# " + ours.stderr.decode(errors="replace").strip())
        else:
            print("ok %d - mutation %d of %s: both %s" % (
                n, i, os.path.basename(f), "accept" if rng else "refuse"))
    print("1..%d" % n)
    print("# the reader accepted %d of %d; %d disagreements" % (accepted, n, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
