# SPDX-License-Identifier: MIT
"""make-word-cases.py DIR: the fixtures of tests/cli/t1220-docx-word.tap
(issue 31), made at test time by python-docx and Python's zipfile.

  zip-times.docx   a python-docx document whose zip local headers carry a
                   modification time the central directory does not (two
                   entries), as some real writers leave them
  inline.docx      paragraphs with no direct text: a Code-styled run then a
                   superscript run ("m" + "2"); a bold run then an italic
                   run ("a" + "b")
  picture.docx     a document holding only a picture
  linked.docx      two linked pictures (r:link): a local path, a web address
  headers.docx     a header and a footer
  dropcap.docx     drop caps as Word writes them: the first letter in a
                   paragraph framed with w:dropCap="drop" (and "margin"),
                   the rest of the word in the next paragraph"""
import os
import struct
import sys
import zipfile

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

out = sys.argv[1]
img = sys.argv[2]

d = Document()
d.add_paragraph("Timestamps may differ.")
base = os.path.join(out, "zip-times.docx")
d.save(base)
raw = bytearray(open(base, "rb").read())
with zipfile.ZipFile(base) as z:
    infos = z.infolist()
patched = 0
for info in infos:
    if info.filename in ("word/document.xml", "[Content_Types].xml"):
        off = info.header_offset
        assert raw[off:off + 4] == b"PK\x03\x04"
        t, dt = struct.unpack("<HH", raw[off + 10:off + 14])
        raw[off + 10:off + 14] = struct.pack("<HH", t ^ 0x0421, dt ^ 0x0001)
        patched += 1
assert patched == 2
open(base, "wb").write(bytes(raw))

d = Document()
d.styles.add_style("Code", WD_STYLE_TYPE.CHARACTER)
p = d.add_paragraph()
p.add_run("m", style="Code")
p.add_run("2").font.superscript = True
p = d.add_paragraph()
p.add_run("a").bold = True
p.add_run("b").italic = True
d.save(os.path.join(out, "inline.docx"))

d = Document()
d.add_picture(img)
d.save(os.path.join(out, "picture.docx"))

d = Document()
for kind, letter, rest in (("drop", "D", "rop cap."), ("margin", "M", "argin cap.")):
    cap = d.add_paragraph()
    frame = OxmlElement("w:framePr")
    frame.set(qn("w:dropCap"), kind)
    frame.set(qn("w:lines"), "3")
    frame.set(qn("w:wrap"), "around")
    frame.set(qn("w:vAnchor"), "text")
    frame.set(qn("w:hAnchor"), "text")
    cap._p.get_or_add_pPr().insert(0, frame)
    r = cap.add_run(letter)
    r.font.size = 36 * 12700
    d.add_paragraph(rest)
d.add_paragraph("No drop cap here.")
d.save(os.path.join(out, "dropcap.docx"))

# linked.docx: pictures linked, not embedded (r:link, TargetMode="External"),
# one to a local path, one to a web address, each with a description.
from docx.opc.constants import RELATIONSHIP_TYPE as RT
d = Document()
d.add_paragraph("Before the pictures.")
for target, descr in (("file-on-c-drive.png", "A local picture"),
                      ("https://example.org/map.png", "A web picture")):
    shape = d.add_picture(img)
    inline = shape._inline
    inline.docPr.set("descr", descr)
    blip = inline.xpath(".//a:blip")[0]
    blip.attrib.pop(qn("r:embed"))
    blip.set(qn("r:link"), d.part.relate_to(target, RT.IMAGE, is_external=True))
d.save(os.path.join(out, "linked.docx"))

# headers.docx: a header and a footer (python-docx), the body's one line.
d = Document()
d.add_paragraph("The body text.")
d.sections[0].header.paragraphs[0].text = "Son La Emulation Report"
d.sections[0].footer.paragraphs[0].text = "Page footer line"
d.save(os.path.join(out, "headers.docx"))
