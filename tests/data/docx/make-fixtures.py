#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""make-fixtures.py - builds the DOCX test fixtures of tests/cli/t1200-docx.tap
with real word processors, from the seed texts:

  lo-*.docx  LibreOffice (soffice --headless --convert-to docx) from Flat ODT
             sources written here;
  pd-*.docx  python-docx (Debian python3-docx), for what LibreOffice does not
             write: localized heading style names with outline levels, a
             paragraph-level outline level, style-based lists, tracked
             changes, comments, content controls, smart tags, fields, w:sym.

Run from anywhere: /usr/bin/python3 tests/data/docx/make-fixtures.py
Needs soffice (libreoffice-writer-nogui) and python3-docx.  Timestamps are
fixed so that reruns differ only where the tools stamp the time themselves.
"""
import base64
import datetime
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "..", "..", "seeds")


def seed(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip()]


def png(w, h, rgb):
    """A small solid-colour PNG."""
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


RED = png(16, 12, (200, 30, 30))
BLUE = png(8, 8, (30, 30, 200))

# ------------------------------------------------------------ Flat ODT

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')


def fodt(meta, lang_props, body, extra_auto=""):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta>{meta}</office:meta>
<office:styles>
 <style:default-style style:family="paragraph"><style:text-properties {lang_props}/></style:default-style>
 <style:style style:name="Standard" style:family="paragraph"/>
 <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard"/>
 <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1"/>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2"/>
 <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="3"/>
 <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading"/>
 <text:list-style style:name="Bullets">
  <text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:margin-left="0.635cm" fo:text-indent="-0.635cm"/></style:list-level-properties></text:list-level-style-bullet>
  <text:list-level-style-bullet text:level="2" text:bullet-char="◦"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:margin-left="1.27cm" fo:text-indent="-0.635cm"/></style:list-level-properties></text:list-level-style-bullet>
  <text:list-level-style-bullet text:level="3" text:bullet-char="▪"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:margin-left="1.905cm" fo:text-indent="-0.635cm"/></style:list-level-properties></text:list-level-style-bullet>
 </text:list-style>
 <text:list-style style:name="Numbers">
  <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:margin-left="0.635cm" fo:text-indent="-0.635cm"/></style:list-level-properties></text:list-level-style-number>
  <text:list-level-style-number text:level="2" style:num-format="a" style:num-suffix=")"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:margin-left="1.27cm" fo:text-indent="-0.635cm"/></style:list-level-properties></text:list-level-style-number>
  <text:list-level-style-number text:level="3" style:num-format="i" style:num-suffix="."><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:margin-left="1.905cm" fo:text-indent="-0.635cm"/></style:list-level-properties></text:list-level-style-number>
 </text:list-style>
 <text:list-style style:name="Upper">
  <text:list-level-style-number text:level="1" style:num-format="A" style:num-suffix="." text:start-value="3"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:margin-left="0.635cm" fo:text-indent="-0.635cm"/></style:list-level-properties></text:list-level-style-number>
 </text:list-style>
</office:styles>
<office:automatic-styles>
 <style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
 <style:style style:name="U" style:family="text"><style:text-properties style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>
 <style:style style:name="SUP" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
 <style:style style:name="SUB" style:family="text"><style:text-properties style:text-position="sub 58%"/></style:style>
 <style:style style:name="Tbl" style:family="table"><style:table-properties style:width="16cm" table:align="margins"/></style:style>
 <style:style style:name="fr1" style:family="graphic"><style:graphic-properties style:vertical-pos="top" style:vertical-rel="baseline"/></style:style>
 {extra_auto}
</office:automatic-styles>
<office:body><office:text>
{body}
</office:text></office:body>
</office:document>
"""


def P(text, style="Text_20_body"):
    return f'<text:p text:style-name="{style}">{text}</text:p>\n'


def H(level, text):
    return f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">{text}</text:h>\n'


def note(cls, nid, text):
    return (f'<text:note text:id="{nid}" text:note-class="{cls}"><text:note-citation>1</text:note-citation>'
            f'<text:note-body><text:p text:style-name="Standard">{escape(text)}</text:p></text:note-body></text:note>')


def lst(style, items):
    """items: [(text, [subitems...])...] nested the same way."""
    out = f'<text:list text:style-name="{style}">' if style else "<text:list>"
    for text, sub in items:
        out += f'<text:list-item><text:p text:style-name="Standard">{text}</text:p>'
        if sub:
            out += lst(None, sub)
        out += "</text:list-item>"
    return out + "</text:list>\n"


def cell(text, attrs=""):
    return f'<table:table-cell office:value-type="string"{attrs}><text:p text:style-name="Standard">{text}</text:p></table:table-cell>'


COVERED = "<table:covered-table-cell/>"


def meta(title, author, lang, subject, keywords, date="2024-05-06T07:08:09"):
    kw = "".join(f"<meta:keyword>{escape(k)}</meta:keyword>" for k in keywords)
    return (f"<dc:title>{escape(title)}</dc:title><meta:initial-creator>{escape(author)}</meta:initial-creator>"
            f"<dc:creator>{escape(author)}</dc:creator><meta:creation-date>{date}</meta:creation-date>"
            f"<dc:language>{lang}</dc:language><dc:subject>{escape(subject)}</dc:subject>{kw}")


def image_frame(data, alt, name):
    b64 = base64.b64encode(data).decode()
    return (f'<draw:frame draw:style-name="fr1" draw:name="{name}" text:anchor-type="as-char" svg:width="1.6cm" svg:height="1.2cm">'
            f'<draw:image><office:binary-data>{b64}</office:binary-data></draw:image>'
            f'<svg:title>{escape(name)}</svg:title><svg:desc>{escape(alt)}</svg:desc></draw:frame>')


def lo_structure():
    en = seed("sonla-emulation.en.txt")
    ew = seed("emulation-reward-work.en.txt")
    first, rest = en[0].split(". ", 1) if ". " in en[0] else (en[0], "")
    body = P("Emulation Movements in Son La", "Title")
    body += H(1, '<text:bookmark text:name="results"/>Results')
    body += P(escape(first) + "." + note("footnote", "ftn1", "Decision No. 733/QD-TTg of June 14, 2019.") + " " + escape(rest))
    body += P('Formatting: <text:span text:style-name="B">bold words</text:span>, '
              '<text:span text:style-name="I">italic words</text:span>, '
              '<text:span text:style-name="U">underlined words</text:span>, '
              'E = mc<text:span text:style-name="SUP">2</text:span> and '
              'H<text:span text:style-name="SUB">2</text:span>O.')
    body += H(2, "Digital government")
    body += P(escape(en[1]))
    body += lst("Bullets", [("Online public services", [("Level 3 services", [("Land and construction", []), ("Health", [])]),
                                                        ("Level 4 services", [])]),
                            ("Smart city operations", [])])
    body += H(3, "Infrastructure")
    body += P(escape(en[2]))
    body += lst("Numbers", [("Roads", [("Provincial roads", [("Route 6", []), ("Route 37", [])]),
                                       ("Rural roads", [])]),
                            ("Bridges", [])])
    body += P("A list that starts at C:")
    body += lst("Upper", [("Third point", []), ("Fourth point", [])])
    body += H(1, "Tables")
    body += P("Houses built and repaired, by year.")
    body += ('<table:table table:name="Houses" table:style-name="Tbl"><table:table-column table:number-columns-repeated="3"/>'
             '<table:table-header-rows><table:table-row>' + cell("Year") + cell("Built") + cell("Repaired") +
             '</table:table-row></table:table-header-rows>'
             '<table:table-row>' + cell("2021") + cell("1,204") + cell("880") + '</table:table-row>'
             '<table:table-row>' + cell("2022 and 2023", ' table:number-rows-spanned="2"') + cell("Both years together", ' table:number-columns-spanned="2"') + COVERED + '</table:table-row>'
             '<table:table-row>' + COVERED + cell("1,854") + cell("1,012") + '</table:table-row>'
             '</table:table>\n')
    body += H(2, "Links")
    body += P('The provincial portal is at <text:a xlink:type="simple" xlink:href="https://sonla.gov.vn/">sonla.gov.vn</text:a>; '
              'see also <text:a xlink:type="simple" xlink:href="#results">the results</text:a>.'
              + note("endnote", "edn1", "Figures from the provincial Emulation and Reward Board."))
    body += P(image_frame(RED, "A red rectangle standing for the provincial map", "map"))
    body += P(escape(ew[0]))
    return fodt(meta("Emulation Movements in Son La", "Le Hong", "en-US", "Provincial news",
                     ["emulation", "Son La"]),
                'fo:language="en" fo:country="US"', body)


def lo_hindi():
    hi = seed("sonla-emulation.hi.txt")
    body = H(1, escape(hi[0][:60].rsplit(" ", 1)[0]))
    body += P(escape(hi[0]) + note("footnote", "ftn1", "निर्णय संख्या 733/क्यूडी-टीटीजी।"))
    body += P(escape(hi[1]))
    body += H(2, escape(hi[2][:50].rsplit(" ", 1)[0]))
    for line in hi[2:6]:
        body += P(escape(line))
    body += lst("Bullets", [(escape(hi[6].split("।")[0]) + "।", []), (escape(hi[7].split("।")[0]) + "।", [])])
    for line in hi[8:]:
        body += P(escape(line))
    return fodt(meta("सोन ला में अनुकरण आंदोलन", "ले होंग", "hi-IN", "प्रांतीय समाचार", ["अनुकरण"]),
                'fo:language="en" fo:country="US" style:language-complex="hi" style:country-complex="IN"', body)


def lo_indonesian():
    ids = seed("sonla-emulation.id.txt")
    eac = seed("ethnic-affairs-cluster.id.txt")
    body = H(1, "Gerakan emulasi di Son La")
    for line in ids[:4]:
        body += P(escape(line))
    body += H(2, "Klaster urusan etnis")
    body += lst("Numbers", [(escape(eac[0]), []), (escape(eac[1]), [])])
    body += ('<table:table table:name="Dana" table:style-name="Tbl"><table:table-column table:number-columns-repeated="2"/>'
             '<table:table-header-rows><table:table-row>' + cell("Provinsi") + cell("Dana (miliar VND)") +
             '</table:table-row></table:table-header-rows>'
             '<table:table-row>' + cell("Hanoi") + cell("2.391") + '</table:table-row>'
             '<table:table-row>' + cell("Hoa Binh") + cell("1.118") + '</table:table-row></table:table>\n')
    for line in ids[4:] + eac[2:]:
        body += P(escape(line))
    return fodt(meta("Gerakan Emulasi di Son La", "Le Hong", "id-ID", "Berita provinsi", ["emulasi"]),
                'fo:language="id" fo:country="ID"', body)


def make_lo(out):
    tmp = tempfile.mkdtemp(prefix="docx-fixtures.")
    try:
        srcs = []
        for name, fn in (("lo-structure", lo_structure), ("lo-hindi", lo_hindi), ("lo-indonesian", lo_indonesian)):
            p = os.path.join(tmp, name + ".fodt")
            with open(p, "w", encoding="utf-8") as f:
                f.write(fn())
            srcs.append(p)
        subprocess.run(["soffice", "--headless", "-env:UserInstallation=file:///tmp/lo-docx",
                        "--convert-to", "docx", "--outdir", out] + srcs, check=True,
                       stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(tmp)


# ------------------------------------------------------------ python-docx

def make_pd(out):
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn, nsdecls
    from docx.shared import Pt, Cm

    W = nsdecls("w")

    def lang_defaults(d, val, bidi=None):
        rpr = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for old in rpr.findall(qn("w:lang")):
            rpr.remove(old)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), val)
        if bidi:
            lang.set(qn("w:bidi"), bidi)
        rpr.append(lang)

    def outline(style_or_par, level):
        ppr = style_or_par._element.get_or_add_pPr() if hasattr(style_or_par._element, "get_or_add_pPr") \
            else style_or_par._p.get_or_add_pPr()
        o = OxmlElement("w:outlineLvl")
        o.set(qn("w:val"), str(level))
        ppr.append(o)

    def core(d, title, author, lang, subject, keywords):
        cp = d.core_properties
        cp.title, cp.author, cp.language, cp.subject, cp.keywords = title, author, lang, subject, keywords
        cp.comments = ""
        cp.created = cp.modified = datetime.datetime(2024, 5, 6, 7, 8, 9)
        cp.last_modified_by = author
        cp.revision = 1

    # --- localized heading styles: the outline level decides --------------
    ids = seed("sonla-emulation.id.txt")
    d = docx.Document()
    core(d, "Gerakan Emulasi", "Le Hong", "id-ID", "Berita", "emulasi; Son La")
    lang_defaults(d, "id-ID")
    judul = []
    for n in (1, 2, 3):  # Indonesian Word's names for heading 1-3
        s = d.styles.add_style("Judul %d" % n, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = d.styles["Normal"]
        s.font.bold = True
        s.font.size = Pt(18 - 2 * n)
        outline(s, n - 1)
        judul.append(s)
    ub = d.styles.add_style("Überschrift 1", WD_STYLE_TYPE.PARAGRAPH)
    ub.base_style = d.styles["Normal"]
    outline(ub, 0)
    kap = d.styles.add_style("Kapitelüberschrift", WD_STYLE_TYPE.PARAGRAPH)
    kap.base_style = ub  # inherits outline level 0 through w:basedOn
    fake = d.styles.add_style("Heading 1 tanpa kerangka", WD_STYLE_TYPE.PARAGRAPH)
    fake.base_style = d.styles["Normal"]
    outline(fake, 9)  # body text, whatever the name says
    d.add_paragraph("Gerakan emulasi di Son La", style=judul[0])
    d.add_paragraph(ids[0])
    d.add_paragraph("Pemerintahan digital", style=judul[1])
    d.add_paragraph(ids[1])
    d.add_paragraph("Infrastruktur", style=judul[2])
    d.add_paragraph(ids[2])
    d.add_paragraph("Daftar berpoin:")
    d.add_paragraph("Layanan publik daring", style="List Bullet")
    d.add_paragraph("Layanan tingkat 3", style="List Bullet 2")
    d.add_paragraph("Pertanahan dan konstruksi", style="List Bullet 3")
    d.add_paragraph("Operasi kota pintar", style="List Bullet")
    d.add_paragraph("Daftar bernomor:")
    d.add_paragraph("Jalan", style="List Number")
    d.add_paragraph("Jalan provinsi", style="List Number 2")
    d.add_paragraph("Rute 6", style="List Number 3")
    d.add_paragraph("Jembatan", style="List Number")
    d.add_paragraph("Bab dua", style=ub)
    d.add_paragraph(ids[3])
    d.add_paragraph("Bab tiga", style=kap)
    d.add_paragraph(ids[4])
    p = d.add_paragraph("Tingkat kerangka pada paragraf")
    outline(p, 1)
    d.add_paragraph("Bukan judul", style=fake)
    for line in ids[5:]:
        d.add_paragraph(line)
    d.save(os.path.join(out, "pd-localized.docx"))

    # --- revisions, comments, content controls, fields ---------------------
    en = seed("sonla-emulation.en.txt")
    d = docx.Document()
    core(d, "Revised report", "Le Hong", "en-US", "Emulation", "emulation, revisions")
    lang_defaults(d, "en-US", "hi-IN")
    body = d.element.body
    sect = body[-1]

    def add(xml):
        el = parse_xml(xml)
        sect.addprevious(el)
        return el

    def run(text, rpr=""):
        return f'<w:r>{"<w:rPr>" + rpr + "</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'

    HL = '<w:rStyle w:val="Hyperlink"/>'
    HI = '<w:rFonts w:hint="cs"/><w:cs/><w:lang w:bidi="hi-IN"/>'
    UL = '<w:u w:val="single"/>'
    SUPR = '<w:vertAlign w:val="superscript"/>'
    SUBR = '<w:vertAlign w:val="subscript"/>'
    H1 = '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
    add(f'<w:p {W}>{H1}<w:bookmarkStart w:id="0" w:name="goal"/>{run("The goal")}<w:bookmarkEnd w:id="0"/></w:p>')
    # a word split over runs (rsids differ, formatting does not)
    add(f'<w:p {W}><w:r w:rsidR="00A1"><w:t>The emu</w:t></w:r><w:r w:rsidR="00B2"><w:t>lation movement</w:t></w:r>'
        f'{run(" spread to every commune.")}</w:p>')
    # tracked changes: insertion kept, deletion dropped, move kept once
    add(f'<w:p {W}>{run("The province built ")}'
        f'<w:del w:id="1" w:author="Le Hong" w:date="2024-05-06T07:08:09Z"><w:r><w:delText>2,000</w:delText></w:r></w:del>'
        f'<w:ins w:id="2" w:author="Le Hong" w:date="2024-05-06T07:08:09Z">{run("3,058")}</w:ins>'
        f'{run(" houses for poor households.")}</w:p>')
    add(f'<w:p {W}><w:moveFrom w:id="3" w:author="Le Hong" w:date="2024-05-06T07:08:09Z">{run("Moved away. ")}</w:moveFrom>'
        f'{run("Roads were paved.")}<w:moveTo w:id="4" w:author="Le Hong" w:date="2024-05-06T07:08:09Z">{run(" Moved away.")}</w:moveTo></w:p>')
    add(f'<w:p {W}><w:pPr><w:rPr><w:del w:id="5" w:author="Le Hong" w:date="2024-05-06T07:08:09Z"/></w:rPr></w:pPr>'
        f'<w:del w:id="6" w:author="Le Hong" w:date="2024-05-06T07:08:09Z"><w:r><w:delText>A whole paragraph that was deleted.</w:delText></w:r></w:del></w:p>')
    # a comment on a range
    add(f'<w:p {W}><w:commentRangeStart w:id="0"/>{run("Poverty fell by 4 percent.")}<w:commentRangeEnd w:id="0"/>'
        f'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r></w:p>')
    # content controls: block level and run level; a smart tag
    add(f'<w:sdt {W}><w:sdtPr><w:alias w:val="Summary"/><w:tag w:val="summary"/><w:id w:val="101"/></w:sdtPr>'
        f'<w:sdtContent><w:p>{run("A summary inside a content control.")}</w:p></w:sdtContent></w:sdt>')
    add(f'<w:p {W}>{run("Reported by ")}<w:sdt><w:sdtPr><w:alias w:val="Author"/><w:id w:val="102"/><w:text/></w:sdtPr>'
        f'<w:sdtContent>{run("Le Hong")}</w:sdtContent></w:sdt>{run(" from ")}'
        f'<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">{run("Son La")}</w:smartTag>{run(".")}</w:p>')
    # fields: simple and complex; only their results show
    add(f'<w:p {W}>{run("Printed on ")}<w:fldSimple w:instr=" DATE \\@ &quot;yyyy-MM-dd&quot; ">{run("2024-05-06")}</w:fldSimple>'
        f'{run(", page ")}<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{run("1")}<w:r><w:fldChar w:fldCharType="end"/></w:r>{run(".")}</w:p>')
    add(f'<w:p {W}>{run("Details are on the ")}<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://sonla.gov.vn/news" </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{run("news page", HL)}'
        f'<w:r><w:fldChar w:fldCharType="end"/></w:r>{run(".")}</w:p>')
    # symbols, non-breaking hyphen, tab, line break, Hindi run with w:bidi
    add(f'<w:p {W}>{run("Growth rate ")}<w:r><w:sym w:font="Symbol" w:char="F061"/></w:r>{run(" rose in e")}'
        f'<w:r><w:noBreakHyphen/></w:r>{run("Government.")}<w:r><w:tab/></w:r>{run("Column two.")}'
        f'<w:r><w:br/></w:r>{run("Second line.")}</w:p>')
    add(f'<w:p {W}>{run("In Hindi, the province of Son La is written ")}{run("सोन ला प्रांत", HI)}{run(".")}</w:p>')
    # hyperlinks: external through a relationship, internal to a bookmark
    rid = d.part.relate_to("https://sonla.gov.vn/", RT.HYPERLINK, is_external=True)
    add(f'<w:p {W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{run("Visit ")}'
        f'<w:hyperlink r:id="{rid}">{run("the portal", HL)}</w:hyperlink>{run(" or go back to ")}'
        f'<w:hyperlink w:anchor="goal">{run("the goal", "<w:b/>")}</w:hyperlink>{run(".")}</w:p>')
    add(f'<w:p {W}>{run("Bold", "<w:b/>")}{run(" and ")}{run("italic", "<w:i/>")}{run(" and ")}'
        f'{run("underlined", UL)}{run(", x")}{run("2", SUPR)}'
        f'{run(" and CO")}{run("2", SUBR)}{run(".")}</w:p>')
    # a paragraph mark deleted: the paragraph runs on into the next one
    add(f'<w:p {W}><w:pPr><w:rPr><w:del w:id="7" w:author="Le Hong" w:date="2024-05-06T07:08:09Z"/></w:rPr></w:pPr>'
        f'{run("The budget was balanced")}</w:p>')
    add(f'<w:p {W}>{run(", and debts were paid.")}</w:p>')
    # a picture with alt text
    import io
    d.add_paragraph(en[0])
    pic = d.add_paragraph().add_run().add_picture(io.BytesIO(BLUE), width=Cm(2))
    pic._inline.docPr.set("descr", "A blue square")
    # a table: header row, a horizontal and a vertical merge
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("Year", "Built", "Repaired"), ("2021", "1,204", "880"), ("2022", "1,854", "1,012")]):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    trpr = t.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))
    t.cell(1, 1).merge(t.cell(1, 2))
    t.cell(1, 1).text = "Merged across"
    t.cell(1, 0).merge(t.cell(2, 0))
    t.cell(1, 0).text = "2021 and 2022"
    for line in en[1:]:
        d.add_paragraph(line)
    # the comments part (python-docx 0.8 has no API for it)
    comments = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:comments {W}><w:comment w:id="0" w:author="Reviewer" w:date="2024-05-06T07:08:09Z" w:initials="R">'
                '<w:p><w:r><w:t>Check this figure against the statistics office.</w:t></w:r></w:p></w:comment></w:comments>')
    part = Part(PackURI("/word/comments.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
                comments.encode(), d.part.package)
    d.part.relate_to(part, RT.COMMENTS)
    d.save(os.path.join(out, "pd-revisions.docx"))


def main():
    out = HERE
    which = sys.argv[1:] or ["lo", "pd"]
    if "lo" in which:
        make_lo(out)
    if "pd" in which:
        make_pd(out)


if __name__ == "__main__":
    main()
