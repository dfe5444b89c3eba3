# SPDX-License-Identifier: MIT
"""docx-xml-seeds.py OUTDIR DOCX... - the seeds of fuzz-docx-xml: for each
DOCX, its XML parts joined as the harness reads them (word/document.xml,
styles.xml, numbering.xml, footnotes.xml, comments.xml, header1.xml,
diagrams/data1.xml, separated by form feeds; a missing part is empty)."""
import os
import sys
import zipfile

PARTS = ["word/document.xml", "word/styles.xml", "word/numbering.xml",
         "word/footnotes.xml", "word/comments.xml", "word/header1.xml",
         "word/diagrams/data1.xml"]

for f in sys.argv[2:]:
    try:
        with zipfile.ZipFile(f) as z:
            names = set(z.namelist())
            data = [z.read(p) if p in names else b"" for p in PARTS]
    except (OSError, zipfile.BadZipFile):
        continue
    while data and not data[-1]:
        data.pop()
    with open(os.path.join(sys.argv[1], os.path.basename(f) + ".xml"), "wb") as o:
        o.write(b"\f".join(d.replace(b"\f", b"") for d in data))
