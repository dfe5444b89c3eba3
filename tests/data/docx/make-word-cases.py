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
                   the rest of the word in the next paragraph
  smartart.docx    a SmartArt diagram (Vertical Bullet List) between two
                   paragraphs: python-docx cannot make one, so its parts
                   (data, layout, quick style, colours, Word's drawing) are
                   added by hand with the structure Word gives them: node
                   points in the order they were typed (not the shown
                   order, which the connections' srcOrd gives), a second
                   level, an empty placeholder node, transition and
                   presentation points, and the same text baked into the
                   drawing part (which must not be read twice)
  changes.docx     tracked changes (python-docx cannot write them: w:ins and
                   w:del are added with lxml): a replaced number, an
                   insertion partly deleted again by another author (w:del
                   inside w:ins), a bold deletion without a date, an
                   insertion whose date is not a date, a deleted paragraph
                   (its mark deleted too)
  metafile.docx    a described picture that is an EMF (Windows metafile)"""
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

# smartart.docx: see the head comment.
from docx.opc.part import Part
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml

DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DSP = "http://schemas.microsoft.com/office/drawing/2008/diagram"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument.drawingml."


def guid(n):
    return "{%08X-0000-4000-8000-%012X}" % (0x5A000000 + n, n)


def text_body(text):
    if not text:
        return ('<dgm:t><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/>'
                '</a:p></dgm:t>')
    return ('<dgm:t><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US" dirty="0"/>'
            '<a:t>%s</a:t></a:r></a:p></dgm:t>' % text)


# (model id, parent id, srcOrd, text): typed in this order, shown by srcOrd.
nodes = [(1, 0, 0, "Plan the survey"), (2, 0, 2, "Publish the results"),
         (3, 0, 1, "Count the households"), (4, 1, 0, "Train the counters"),
         (5, 0, 3, "")]
pts = ['<dgm:pt modelId="%s" type="doc"><dgm:prSet loTypeId="urn:microsoft.com/office/'
       'officeart/2005/8/layout/vList2" loCatId="list" qsTypeId="urn:microsoft.com/office/'
       'officeart/2005/8/quickstyle/simple1" qsCatId="simple" csTypeId="urn:microsoft.com/'
       'office/officeart/2005/8/colors/accent1_2" csCatId="accent1" phldr="1"/><dgm:spPr/>'
       '%s</dgm:pt>' % (guid(0), text_body(""))]
cxns = []
for mid, parent, order, text in nodes:
    pts.append('<dgm:pt modelId="%s"%s><dgm:prSet phldrT="[Text]"%s/><dgm:spPr/>%s</dgm:pt>'
               % (guid(mid), "", "" if text else ' phldr="1"', text_body(text)))
    par, sib = 100 + mid, 200 + mid
    for t, k in ((par, "parTrans"), (sib, "sibTrans")):
        pts.append('<dgm:pt modelId="%s" type="%s" cxnId="%s"><dgm:prSet/><dgm:spPr/>%s'
                   '</dgm:pt>' % (guid(t), k, guid(300 + mid), text_body("")))
    cxns.append('<dgm:cxn modelId="%s" srcId="%s" destId="%s" srcOrd="%d" destOrd="0" '
                'parTransId="%s" sibTransId="%s"/>'
                % (guid(300 + mid), guid(parent), guid(mid), order, guid(par), guid(sib)))
for mid, parent, order, text in nodes:
    pts.append('<dgm:pt modelId="%s" type="pres"><dgm:prSet presAssocID="%s" '
               'presName="parentText" presStyleLbl="node1" presStyleIdx="%d" presStyleCnt="4">'
               '<dgm:presLayoutVars><dgm:chMax val="0"/><dgm:bulletEnabled val="1"/>'
               '</dgm:presLayoutVars></dgm:prSet><dgm:spPr/></dgm:pt>'
               % (guid(400 + mid), guid(mid), order))
    cxns.append('<dgm:cxn modelId="%s" type="presOf" srcId="%s" destId="%s" srcOrd="0" '
                'destOrd="0" presId="urn:microsoft.com/office/officeart/2005/8/layout/vList2"/>'
                % (guid(500 + mid), guid(mid), guid(400 + mid)))
data = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<dgm:dataModel xmlns:dgm="%s" xmlns:a="%s"><dgm:ptLst>%s</dgm:ptLst>'
        '<dgm:cxnLst>%s</dgm:cxnLst><dgm:bg/><dgm:whole/><dgm:extLst>'
        '<a:ext uri="http://schemas.microsoft.com/office/drawing/2008/diagram">'
        '<dsp:dataModelExt xmlns:dsp="%s" relId="rIdDrawing1" minVer="http://schemas.'
        'openxmlformats.org/drawingml/2006/diagram"/></a:ext></dgm:extLst></dgm:dataModel>'
        % (DGM, A, "".join(pts), "".join(cxns), DSP))
layout = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<dgm:layoutDef xmlns:dgm="%s" xmlns:a="%s" uniqueId="urn:microsoft.com/office/'
          'officeart/2005/8/layout/vList2"><dgm:title val=""/><dgm:desc val=""/><dgm:catLst>'
          '<dgm:cat type="list" pri="3000"/></dgm:catLst><dgm:layoutNode name="linear">'
          '<dgm:alg type="lin"/><dgm:shape><a:prstGeom prst="rect"/></dgm:shape>'
          '</dgm:layoutNode></dgm:layoutDef>' % (DGM, A))
style = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<dgm:styleDef xmlns:dgm="%s" xmlns:a="%s" uniqueId="urn:microsoft.com/office/'
         'officeart/2005/8/quickstyle/simple1"><dgm:title val=""/><dgm:desc val=""/>'
         '<dgm:catLst><dgm:cat type="simple" pri="10100"/></dgm:catLst><dgm:scene3d>'
         '<a:camera prst="orthographicFront"/><a:lightRig rig="threePt" dir="t"/>'
         '</dgm:scene3d><dgm:styleLbl name="node1"><dgm:scene3d><a:camera '
         'prst="orthographicFront"/><a:lightRig rig="threePt" dir="t"/></dgm:scene3d>'
         '<dgm:sp3d/><dgm:txPr/><dgm:style><a:lnRef idx="2"><a:scrgbClr r="0" g="0" b="0"/>'
         '</a:lnRef><a:fillRef idx="1"><a:scrgbClr r="0" g="0" b="0"/></a:fillRef>'
         '<a:effectRef idx="0"><a:scrgbClr r="0" g="0" b="0"/></a:effectRef><a:fontRef '
         'idx="minor"><a:schemeClr val="lt1"/></a:fontRef></dgm:style></dgm:styleLbl>'
         '</dgm:styleDef>' % (DGM, A))
colors = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<dgm:colorsDef xmlns:dgm="%s" xmlns:a="%s" uniqueId="urn:microsoft.com/office/'
          'officeart/2005/8/colors/accent1_2"><dgm:title val=""/><dgm:desc val=""/>'
          '<dgm:catLst><dgm:cat type="accent1" pri="11200"/></dgm:catLst><dgm:styleLbl '
          'name="node1"><dgm:fillClrLst meth="repeat"><a:schemeClr val="accent1"/>'
          '</dgm:fillClrLst><dgm:linClrLst meth="repeat"><a:schemeClr val="lt1"/>'
          '</dgm:linClrLst><dgm:effectClrLst/><dgm:txLinClrLst/><dgm:txFillClrLst '
          'meth="repeat"><a:schemeClr val="lt1"/></dgm:txFillClrLst><dgm:txEffectClrLst/>'
          '</dgm:styleLbl></dgm:colorsDef>' % (DGM, A))
shapes = "".join(
    '<dsp:sp modelId="%s"><dsp:nvSpPr><dsp:cNvPr id="0" name=""/><dsp:cNvSpPr/></dsp:nvSpPr>'
    '<dsp:spPr><a:xfrm><a:off x="0" y="%d"/><a:ext cx="5486400" cy="600000"/></a:xfrm>'
    '<a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom></dsp:spPr><dsp:style><a:lnRef '
    'idx="2"><a:schemeClr val="lt1"/></a:lnRef><a:fillRef idx="1"><a:schemeClr '
    'val="accent1"/></a:fillRef><a:effectRef idx="0"><a:schemeClr val="accent1"/>'
    '</a:effectRef><a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></dsp:style>'
    '<dsp:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US"/><a:t>%s</a:t></a:r>'
    '</a:p></dsp:txBody><dsp:txXfrm><a:off x="0" y="%d"/><a:ext cx="5486400" cy="600000"/>'
    '</dsp:txXfrm></dsp:sp>' % (guid(400 + mid), 700000 * order, text, 700000 * order)
    for mid, parent, order, text in nodes if text)
drawing = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<dsp:drawing xmlns:dgm="%s" xmlns:dsp="%s" xmlns:a="%s"><dsp:spTree><dsp:nvGrpSpPr>'
           '<dsp:cNvPr id="0" name=""/><dsp:cNvGrpSpPr/></dsp:nvGrpSpPr><dsp:grpSpPr/>%s'
           '</dsp:spTree></dsp:drawing>' % (DGM, DSP, A, shapes))

d = Document()
d.add_paragraph("Before the diagram.")
anchor = d.add_paragraph()
d.add_paragraph("After the diagram.")
package = d.part.package
rid = {}
for name, ct, rel, blob in (
        ("data1", CT + "diagramData+xml", RELS + "diagramData", data),
        ("layout1", CT + "diagramLayout+xml", RELS + "diagramLayout", layout),
        ("quickStyle1", CT + "diagramStyle+xml", RELS + "diagramQuickStyle", style),
        ("colors1", CT + "diagramColors+xml", RELS + "diagramColors", colors),
        ("drawing1", "application/vnd.ms-office.drawingml.diagramDrawing+xml",
         "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing", drawing)):
    part = Part(PackURI("/word/diagrams/%s.xml" % name), ct, blob.encode("utf-8"), package)
    rid[name] = d.part.relate_to(part, rel)
# Word names the drawing part in the data part's extension by its own id.
data_part = d.part.related_parts[rid["data1"]]
data_part._blob = data_part.blob.replace(b"rIdDrawing1", rid["drawing1"].encode())
run = anchor.add_run()
run._r.append(parse_xml(
    '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="5486400" '
    'cy="3200400"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="1" '
    'name="Diagram 1"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a="%s"><a:graphicData '
    'uri="http://schemas.openxmlformats.org/drawingml/2006/diagram"><dgm:relIds '
    'xmlns:dgm="%s" xmlns:r="%s" r:dm="%s" r:lo="%s" r:qs="%s" r:cs="%s"/></a:graphicData>'
    '</a:graphic></wp:inline></w:drawing>'
    % (A, DGM, R, rid["data1"], rid["layout1"], rid["quickStyle1"], rid["colors1"])))
d.save(os.path.join(out, "smartart.docx"))

# changes.docx: see the head comment.
d = Document()
_ids = iter(range(1, 100))


def change(kind, author, date, *runs):
    """A w:ins or w:del holding RUNS (CT_R elements)."""
    e = OxmlElement("w:" + kind)
    e.set(qn("w:id"), str(next(_ids)))
    if author:
        e.set(qn("w:author"), author)
    if date:
        e.set(qn("w:date"), date)
    for r in runs:
        e.append(r)
    return e


def run(text, deleted=False, bold=False):
    r = OxmlElement("w:r")
    if bold:
        rpr = OxmlElement("w:rPr")
        rpr.append(OxmlElement("w:b"))
        r.append(rpr)
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    r.append(t)
    return r


LE, TRAN = "Le Hong", "Tran An"
p = d.add_paragraph("The count rose to ")._p
p.append(change("del", LE, "2024-05-06T07:08:09Z", run("2,000", deleted=True)))
p.append(change("ins", LE, "2024-05-06T07:08:09Z", run("3,058")))
p.append(run(" households."))
p = d.add_paragraph("Roads: ")._p
p.append(change("ins", TRAN, "2024-06-01T10:00:00Z", run("paved by "),
                change("del", LE, "2024-06-02T09:30:00Z", run("the army", deleted=True))))
p.append(run("."))
p = d.add_paragraph("Kept ")._p
p.append(change("del", LE, None, run("bold gone", deleted=True, bold=True)))
p.append(run("text."))
p = d.add_paragraph("Dated ")._p
p.append(change("ins", TRAN, "yesterday", run("badly")))
p = d.add_paragraph()._p
rpr = OxmlElement("w:rPr")
rpr.append(change("del", LE, "2024-05-06T07:08:09Z"))
p.get_or_add_pPr().append(rpr)
p.append(change("del", LE, "2024-05-06T07:08:09Z", run("A deleted paragraph.", deleted=True)))
d.add_paragraph("The end.")
d.save(os.path.join(out, "changes.docx"))

# metafile.docx: a picture with a description whose part is a Windows
# metafile (python-docx cannot insert one: its PNG part is renamed .emf and
# replaced by a minimal EMF, a header and an end-of-file record).
d = Document()
d.add_paragraph("Before the metafile.")
shape = d.add_picture(img)
shape._inline.docPr.set("descr", "A chart drawn as a metafile")
d.add_paragraph("After the metafile.")
base = os.path.join(out, "metafile.docx")
d.save(base + ".tmp")
emf_header = struct.pack("<II4i4iIIIIHHIIIii ii II I ii".replace(" ", ""),
                         1, 108, 0, 0, 99, 99, 0, 0, 2646, 2646, 0x464D4520, 0x10000,
                         108 + 20, 2, 1, 0, 0, 0, 0, 1024, 768, 320, 240, 0, 0, 0,
                         320000, 240000)
emf = emf_header + struct.pack("<IIIII", 14, 20, 0, 16, 20)
with zipfile.ZipFile(base + ".tmp") as zin, zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        name = info.filename
        if name.startswith("word/media/") and name.endswith(".png"):
            name, data = name[:-4] + ".emf", emf
        elif name == "word/_rels/document.xml.rels":
            data = data.replace(b".png\"", b".emf\"")
        elif name == "[Content_Types].xml":
            data = data.replace(b"</Types>", b'<Default Extension="emf" ContentType="image/x-emf"/></Types>')
        zout.writestr(name, data)
os.remove(base + ".tmp")
