# SPDX-License-Identifier: MIT
"""hostile-gen.py - writes the small crafted inputs of
tests/cli/t0530-hostile-plugins.tap (issue 32): each is a few hundred kB
at most and made here, so that nothing large is committed.

  hostile-gen.py KIND OUT [N]

KIND:
  docx-spans      one table row of N cells of gridSpan 1000 (the grid width
                  sized an allocation: N * 1000 * 16 bytes)
  docx-numbers    a list whose start is LONG_MAX and a heading whose
                  outlineLvl is 2^32 (signed overflow, int wrap)
  docx-images     N images in N media folders, all named image.png
  docx-links      hyperlinks (relationship and HYPERLINK field) and an
                  external image to javascript:, file:, data: and http:
  docx-small-parts  N parts under 1 MB each, all highly compressible
  html-data-images  N data: PNG images in one HTML page
  html-base-js    <base href="javascript:..."> and relative links
  html-fifo-img   an HTML page whose <img> names a FIFO next to it
                  (OUT is the page; the FIFO is OUT's directory/fifo.png)
  ir-paras        an IR document of N paragraphs
  ir-bad-element  an IR document with an unknown element
  ir-bad-nesting  an IR document with <p> inside <p>
  ir-links        an IR document with links to javascript: and file:
  html-spans      an HTML table: one row of one cell of colspan 1000,
                  then N rows of one cell (the ODT writer pads each row)
"""
import base64
import os
import struct
import sys
import zipfile
import zlib
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
IR = "urn:emuconv:ir:1"


def png(w, h, rgb):
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def docx(out, body, rels=(), numbering=None, extra=(), types_extra="", stored=False):
    """A minimal valid package: content types, package relationships, the
    main part and its relationships (RELS: (id, type, target, external))."""
    types = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Default Extension="png" ContentType="image/png"/>'
             '<Override PartName="/word/document.xml" ContentType="application/'
             'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
             + types_extra + '</Types>')
    prels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="word/document.xml"/></Relationships>' % PR)
    mrels = ['<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">' % PR]
    for rid, typ, target, external in rels:
        mrels.append('<Relationship Id="%s" Type="http://schemas.openxmlformats.org/'
                     'officeDocument/2006/relationships/%s" Target="%s"%s/>'
                     % (rid, typ, escape(target, {'"': "&quot;"}),
                        ' TargetMode="External"' if external else ''))
    if numbering:
        mrels.append('<Relationship Id="rNum" Type="http://schemas.openxmlformats.org/'
                     'officeDocument/2006/relationships/numbering" Target="numbering.xml"/>')
    mrels.append('</Relationships>')
    doc = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="%s" xmlns:r="%s" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
           'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
           '<w:body>%s</w:body></w:document>' % (W, R, body))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", prels)
        z.writestr("word/document.xml", doc, zipfile.ZIP_STORED if stored else None)
        z.writestr("word/_rels/document.xml.rels", "".join(mrels))
        if numbering:
            z.writestr("word/numbering.xml", numbering)
        for name, data in extra:
            z.writestr(name, data)


def para(text):
    return '<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % text


def drawing(rid, n):
    return ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/>'
            '<wp:docPr id="%d" name="p%d"/><a:graphic><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            '<pic:blipFill><a:blip r:embed="%s"/></pic:blipFill></pic:pic>'
            '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>' % (n, n, rid))


def ir(body, extra=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<document xmlns="%s" version="1.1">'
            '<meta><title>t</title></meta><body>%s</body>%s</document>\n' % (IR, body, extra))


def main():
    kind, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    if kind == "docx-spans":
        # stored: so repetitive a part is over the compression ratio limit
        cell = '<w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr></w:tc>'
        docx(out, para("before") + "<w:tbl><w:tr>" + cell * n + "</w:tr><w:tr>"
             + '<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + para("x") + "</w:tc>"
             + "</w:tr></w:tbl>" + para("after"), stored=True)
    elif kind == "docx-numbers":
        numbering = ('<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="%s">'
                     '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
                     '<w:start w:val="9223372036854775807"/><w:numFmt w:val="decimal"/>'
                     '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/>'
                     '</w:num></w:numbering>' % W)
        item = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                '<w:r><w:t>item</w:t></w:r></w:p>')
        body = (para("first") + item * 3 + para("between") + item * 2
                + '<w:p><w:pPr><w:outlineLvl w:val="4294967296"/></w:pPr><w:r><w:t>not a heading'
                '</w:t></w:r></w:p>')
        docx(out, body, numbering=numbering)
    elif kind == "docx-images":
        img = png(1, 1, (200, 30, 30))
        rels = [("rImg%d" % i, "image", "media/d%d/image.png" % i, False) for i in range(n)]
        docx(out, "".join(drawing("rImg%d" % i, i + 1) for i in range(n)), rels,
             extra=[("word/media/d%d/image.png" % i, img) for i in range(n)])
    elif kind == "docx-links":
        rels = [("rJs", "hyperlink", "javascript:alert(1)", True),
                ("rJs2", "hyperlink", " \tJaVaScRiPt:alert(2)", True),
                ("rFile", "hyperlink", "file:///etc/passwd", True),
                ("rData", "hyperlink", "data:text/html,<script>alert(3)</script>", True),
                ("rOk", "hyperlink", "https://example.org/ok", True),
                ("rImg", "image", "file:///etc/passwd", True)]
        link = '<w:hyperlink r:id="%s"><w:r><w:t>%s</w:t></w:r></w:hyperlink>'
        field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
                 ' HYPERLINK "%s" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                 '<w:r><w:t>%s</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
        body = ('<w:p>' + link % ("rJs", "jslink") + link % ("rJs2", "jslink2")
                + link % ("rFile", "filelink") + link % ("rData", "datalink")
                + link % ("rOk", "oklink") + '</w:p>'
                + '<w:p>' + field % ("javascript:alert(4)", "jsfield")
                + field % ("vbscript:msgbox", "vbfield")
                + field % ("http://example.org/field", "okfield") + '</w:p>'
                + drawing("rImg", 1).replace('r:embed', 'r:link'))
        docx(out, body, rels)
    elif kind == "docx-small-parts":
        # N images of 900 kB each (a real PNG, then zeros): every part under
        # the per-part ratio check's 1 MB floor, the package ~1 kB a part.
        img = png(1, 1, (200, 30, 30))
        img += b"\0" * (900000 - len(img))
        rels = [("rImg%d" % i, "image", "media/i%d.png" % i, False) for i in range(n)]
        docx(out, "".join(drawing("rImg%d" % i, i + 1) for i in range(n)), rels,
             extra=[("word/media/i%d.png" % i, img) for i in range(n)])
    elif kind == "docx-note-refs":
        # one footnote of 100 kB of text, referenced N times
        notes = ('<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="%s">'
                 '<w:footnote w:id="1"><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:footnote>'
                 '</w:footnotes>' % (W, "note text " * 10000))
        ref = '<w:r><w:footnoteReference w:id="1"/></w:r>'
        docx(out, "<w:p><w:r><w:t>text</w:t></w:r>" + ref * n + "</w:p>",
             [("rFn", "footnotes", "footnotes.xml", False)], extra=[("word/footnotes.xml", notes)])
    elif kind == "html-data-images":
        uri = "data:image/png;base64," + base64.b64encode(png(1, 1, (200, 30, 30))).decode()
        with open(out, "w") as f:
            f.write("<!DOCTYPE html><html><head><title>t</title></head><body>\n")
            for i in range(n):
                f.write('<p><img src="%s" alt="i%d"></p>\n' % (uri, i))
            f.write("</body></html>\n")
    elif kind == "html-base-js":
        with open(out, "w") as f:
            f.write('<!DOCTYPE html><html><head><title>t</title><base href="javascript:alert(1)//">'
                    '</head><body><p><a href="x">based</a> <a href="file:///etc/passwd">file</a> '
                    '<a href="  jAvAsCrIpT:alert(2)">js</a> <a href="#frag">frag</a> '
                    '<a href="https://example.org/ok">ok</a></p></body></html>\n')
    elif kind == "html-fifo-img":
        os.mkfifo(os.path.join(os.path.dirname(out) or ".", "fifo.png"))
        with open(out, "w") as f:
            f.write('<!DOCTYPE html><html><head><title>t</title></head><body>'
                    '<p>before <img src="fifo.png" alt="fifo"> after</p></body></html>\n')
    elif kind == "ir-paras":
        with open(out, "w") as f:
            f.write(ir("".join("<p>paragraph %d of the long document.</p>\n" % i for i in range(n))))
    elif kind == "ir-bad-element":
        with open(out, "w") as f:
            f.write(ir("<p>fine</p><blink>no such element</blink>"))
    elif kind == "ir-bad-nesting":
        with open(out, "w") as f:
            f.write(ir("<p>outer <p>inner</p></p>"))
    elif kind == "ir-links":
        with open(out, "w") as f:
            f.write(ir('<p><a href="javascript:alert(1)">js</a> <a href="FILE:///etc/passwd">file</a> '
                       '<a href="https://example.org/ok">ok</a> <a href="#x">frag</a></p>'))
    elif kind == "html-spans":
        with open(out, "w") as f:
            f.write('<!DOCTYPE html><html><head><title>t</title></head><body><table>'
                    '<tr><td colspan="1000">wide</td></tr>\n')
            f.write("<tr><td>c</td></tr>\n" * n)
            f.write("</table></body></html>\n")
    else:
        sys.exit("hostile-gen.py: unknown kind " + kind)


if __name__ == "__main__":
    main()
