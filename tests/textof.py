#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""textof.py FILE [FORMAT] - print the running text of a document, one block
per line, notes after the body (so a note never splits a sentence).

Formats (from the extension unless given): txt, ir, tei, epub, odt, html,
docx.  Standard library only.  Used by the tests to compare texts; the same
normalisation (NFC, white space folded) is applied to both sides by
textcheck.py."""
import html.parser
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

IR = "urn:emuconv:ir:1"
TEI = "http://www.tei-c.org/ns/1.0"
XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODF_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def decode_txt(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class Walker:
    """Collects text: BLOCKS end a line, SKIP is dropped, NOTES are moved
    to the end."""

    def __init__(self, blocks, notes=(), skip=(), special=None):
        self.blocks, self.notes, self.skip = set(blocks), set(notes), set(skip)
        self.special = special or {}
        self.out, self.noted = [], []

    def walk(self, el, sink):
        tag = el.tag
        if tag in self.skip or (callable(self.special.get("skip")) and self.special["skip"](el)):
            if el.tail:
                sink.append(el.tail)
            return
        if tag in self.notes:
            buf = [el.text or ""]
            self._children(el, buf)
            self.noted.append("".join(buf))
            if el.tail:
                sink.append(el.tail)
            return
        fn = self.special.get(tag)
        if fn:
            sink.append(fn(el))
        elif el.text:
            sink.append(el.text)
        self._children(el, sink)
        if tag in self.blocks:
            sink.append("\n")
        if el.tail:
            sink.append(el.tail)

    def _children(self, el, sink):
        for c in el:
            self.walk(c, sink)

    def run(self, root):
        sink = []
        self.walk(root, sink)
        return "".join(sink) + "\n" + "\n".join(self.noted)


def q(ns, *names):
    return ["{%s}%s" % (ns, n) for n in names]


def text_ir(data):
    root = ET.fromstring(data)
    w = Walker(q(IR, "p", "heading", "item", "cell", "pre", "caption", "term", "title",
                 "author", "source", "date", "subtitle", "publisher"),
               notes=q(IR, "note"), skip=q(IR, "resources"),  # images' base64
               special={"{%s}br" % IR: lambda e: "\n"})  # a break ends a line
    return w.run(root)


def text_tei(data):
    root = ET.fromstring(data)
    # <ref> is a link inside running text; in the header <bibl> holds the
    # source's <date> and <ref>, so <bibl> ends a line.
    w = Walker(q(TEI, "p", "head", "item", "cell", "label", "eg", "title", "author",
                 "bibl", "date", "publisher", "idno"),
               notes=q(TEI, "note"),
               special={"{%s}lb" % TEI: lambda e: "\n"})  # a line break ends a line
    return w.run(root)


def text_xhtml(data, w=None):
    root = ET.fromstring(data)
    body = root.find("{%s}body" % XHTML)
    w = w or Walker(q(XHTML, "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th",
                      "pre", "dt", "dd", "figcaption", "div", "blockquote"),
                    notes=q(XHTML, "aside"),
                    special={"skip": lambda e: e.get("{%s}type" % EPUB) == "noteref",
                             "{%s}br" % XHTML: lambda e: "\n"})
    return w.run(body if body is not None else root)


def html_decode(data):
    """Bytes of an HTML page as text: BOM, XML declaration, <meta charset>,
    else UTF-8, else Windows-1252 (which ISO-8859-1 and ASCII labels mean)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    m = (re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._:-]+)", data[:200]) or
         re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9._:-]+)", data[:65536], re.I))
    enc = m.group(1).decode("ascii").lower() if m else "utf-8"
    if enc in ("iso-8859-1", "latin1", "us-ascii", "ascii", "windows-1252"):
        enc = "cp1252"
    try:
        return data.decode(enc)
    except (LookupError, UnicodeDecodeError):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")


class HTMLText(html.parser.HTMLParser):
    """What a browser shows of tag soup: text, a line per block, without
    scripts, styles, the head and form controls."""
    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "tr", "pre",
              "dt", "dd", "figcaption", "blockquote", "section", "article", "header",
              "footer", "nav", "aside", "main", "ul", "ol", "dl", "table", "caption", "hr",
              "address", "figure", "form", "center"}
    SKIP = {"script", "style", "noscript", "template", "head", "title", "button", "textarea",
            "select", "datalist", "iframe", "object", "svg", "canvas", "video", "audio", "map"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip, self.depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        if self.skip:
            if tag == self.skip:
                self.depth += 1
            elif self.skip == "head" and tag == "body":
                self.skip = None
            return
        if tag in self.SKIP or ("role", "doc-noteref") in attrs:
            # a note's reference mark (the html writer's endnotes)
            self.skip, self.depth = tag, 1
        elif tag == "br" or tag in self.BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip:
                self.depth -= 1
                if not self.depth:
                    self.skip = None
            return
        if tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def text_html(data):
    p = HTMLText()
    p.feed(html_decode(data))
    p.close()
    return "".join(p.out)


def text_epub(path):
    with zipfile.ZipFile(path) as z:
        container = ET.fromstring(z.read("META-INF/container.xml"))
        opf_path = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
        opf = ET.fromstring(z.read(opf_path))
        base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
        ns = "{http://www.idpf.org/2007/opf}"
        items = {i.get("id"): i for i in opf.iter(ns + "item")}
        dc = "{http://purl.org/dc/elements/1.1/}"
        parts = [e.text or "" for e in opf.iter() if e.tag in (dc + "title", dc + "creator", dc + "source", dc + "date")]
        for ref in opf.iter(ns + "itemref"):
            item = items[ref.get("idref")]
            if "nav" in (item.get("properties") or "").split():
                continue
            parts.append(text_xhtml(z.read(base + item.get("href"))))
        return "\n".join(parts)


def text_odt(path):
    with zipfile.ZipFile(path) as z:
        texts = []
        if "meta.xml" in z.namelist():
            meta = ET.fromstring(z.read("meta.xml"))
            dc = "{http://purl.org/dc/elements/1.1/}"
            user = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}user-defined"
            texts += [e.text or "" for e in meta.iter()
                      if e.tag in (dc + "title", dc + "creator", dc + "subject",
                                   dc + "description", user)]
        root = ET.fromstring(z.read("content.xml"))

    def spaces(el):
        return " " * int(el.get("{%s}c" % ODF_TEXT, "1"))

    # Frames (images, their svg:title/desc) are not part of a paragraph's
    # character content (ODF 1.3 part 3, 6.1.1).
    w = Walker(q(ODF_TEXT, "p", "h"), notes=q(ODF_TEXT, "note"),
               skip=q(ODF_TEXT, "note-citation") + ["{%s}frame" % ODF_DRAW],
               special={"{%s}s" % ODF_TEXT: spaces,
                        "{%s}tab" % ODF_TEXT: lambda e: "\t",
                        "{%s}line-break" % ODF_TEXT: lambda e: "\n"})
    body = root.find("{%s}body" % ODF_OFFICE)
    return "\n".join(texts) + "\n" + w.run(body)


# The Symbol font's Greek letters (w:sym w:font="Symbol" w:char="F061": alpha).
SYMBOL_GREEK = dict(zip("ABGDEZHQIKLMNXOPRSTUFCYWabgdezhqiklmnxoprstufcyw",
                        "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρστυφχψω"))


def docx_sym(el):
    font = el.get("{%s}font" % W, "")
    code = int(el.get("{%s}char" % W, "0"), 16)
    code = code - 0xF000 if code >= 0xF000 else code
    if font.lower() == "symbol":
        return SYMBOL_GREEK.get(chr(code), "")
    return chr(code) if 0x20 <= code < 0xD800 else ""


def text_docx(path):
    """The main document part found through _rels/.rels (not assumed to be
    word/document.xml), then its footnotes and endnotes."""
    rel_ns = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    with zipfile.ZipFile(path) as z:
        names = {n.lower(): n for n in z.namelist()}

        def rels_of(part):
            d, _, b = part.rpartition("/")
            rp = (d + "/" if d else "") + "_rels/" + b + ".rels"
            if rp.lower() not in names:
                return []
            out = []
            for r in ET.fromstring(z.read(names[rp.lower()])).iter(rel_ns + "Relationship"):
                t = r.get("Target")
                if r.get("TargetMode") == "External":
                    continue
                parts = ([] if t.startswith("/") else d.split("/") if d else []) + t.lstrip("/").split("/")
                norm = []
                for seg in parts:
                    if seg == "..":
                        norm = norm[:-1]
                    elif seg not in ("", "."):
                        norm.append(seg)
                out.append((r.get("Type").rsplit("/", 1)[-1], "/".join(norm)))
            return out

        main = next((t for ty, t in rels_of("") if ty == "officeDocument"), "word/document.xml")
        parts = [main] + [t for ty, t in rels_of(main) if ty in ("footnotes", "endnotes")]
        texts = []
        for part in parts:
            if part.lower() not in names:
                continue
            root = ET.fromstring(z.read(names[part.lower()]))
            w = Walker(q(W, "p"), special={"{%s}tab" % W: lambda e: "\t", "{%s}br" % W: lambda e: "\n",
                                           "{%s}noBreakHyphen" % W: lambda e: "\u2011",
                                           "{%s}sym" % W: docx_sym},
                       skip=q(W, "delText", "instrText"))
            texts.append(w.run(root))
    return "\n".join(texts)


def text_of(path, fmt=None):
    fmt = fmt or path.rsplit(".", 1)[-1].lower()
    if fmt in ("txt", "text"):
        return decode_txt(open(path, "rb").read())
    if fmt == "ir" or path.endswith(".ir.xml"):
        return text_ir(open(path, "rb").read())
    if fmt in ("tei", "xml"):
        return text_tei(open(path, "rb").read())
    if fmt == "epub":
        return text_epub(path)
    if fmt == "odt":
        return text_odt(path)
    if fmt == "docx":
        return text_docx(path)
    if fmt in ("html", "htm", "xhtml", "xht"):
        data = open(path, "rb").read()
        try:
            return text_xhtml(data)
        except ET.ParseError:  # tag soup, HTML entities, no XML at all
            return text_html(data)
    raise SystemExit("textof: unknown format %s" % fmt)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    sys.stdout.write(text_of(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None))
