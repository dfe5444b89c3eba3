/* SPDX-License-Identifier: MIT */
/* xmlsave.c - libxml2's XML serialisation, byte for byte, a run at a time.
 * Private to the core (emci_xml_save, emci_xml_dump); writers reach it
 * through emc_output_save_xml() and emc_output_dump_xml() (io.c), which
 * show nothing of libxml2's internals.
 *
 * xmlSaveDoc() and xmlNodeDumpOutput() escape text one byte at a time
 * through a callback, and xmlSaveDoc() with "UTF-8" named copies every
 * byte once more through its UTF-8 to UTF-8 "encoder": on the 2 MB news
 * page that was 45 M of the EPUB writer's 93 M instructions beside
 * deflate, and 34 M of the TEI writer's 78 M.  Here elements and text are
 * written with the same bytes, text escaped a strcspn() run at a time;
 * any node of another kind (comments, PIs, CDATA, DTDs, entity
 * references) and any element whose bytes would need one of libxml2's
 * rarer rules goes to libxml2 itself.  tests/unit/xmlsave compares the
 * two on every XML file of the test data and on documents built for the
 * corner cases. */
#include <config.h>
#include <limits.h>
#include <string.h>
#include <libxml/globals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
#include "core-private.h"

struct dumper {
  xmlOutputBufferPtr buf;
  xmlBufferPtr attr; /* scratch for an attribute value libxml2 escapes */
  int oom;
};

static void put(xmlOutputBufferPtr buf, const char *s, size_t len)
{
  while (len) { /* xmlOutputBufferWrite takes an int */
    int n = len > INT_MAX / 2 ? INT_MAX / 2 : (int)len;
    xmlOutputBufferWrite(buf, n, s);
    s += n;
    len -= (size_t)n;
  }
}

static void put_indent(xmlOutputBufferPtr buf, int level)
{
  static const char spaces[] = "                                ";
  for (; level > 0; level -= 16)
    xmlOutputBufferWrite(buf, 2 * (level < 16 ? level : 16), spaces);
}

/* Text content escaped as libxml2's xmlEscapeContent() does: <, >, &
 * and CR, nothing else (the output is UTF-8, as the tree is). */
static void put_text(xmlOutputBufferPtr buf, const char *s)
{
  for (;;) {
    size_t run = strcspn(s, "<>&\r");
    put(buf, s, run);
    s += run;
    switch (*s) {
    case '<': xmlOutputBufferWrite(buf, 4, "&lt;"); break;
    case '>': xmlOutputBufferWrite(buf, 4, "&gt;"); break;
    case '&': xmlOutputBufferWrite(buf, 5, "&amp;"); break;
    case '\r': xmlOutputBufferWrite(buf, 5, "&#13;"); break;
    default: return; /* the NUL */
    }
    s++;
  }
}

static void put_name(xmlOutputBufferPtr buf, const xmlNs *ns, const xmlChar *name)
{
  if (ns && ns->prefix) {
    xmlOutputBufferWriteString(buf, (const char *)ns->prefix);
    xmlOutputBufferWrite(buf, 1, ":");
  }
  xmlOutputBufferWriteString(buf, (const char *)name);
}

/* True when an attribute value V needs none of xmlAttrSerializeTxtContent's
 * escapes: no markup or quote, no tab, CR or LF (written as references),
 * and no non-ASCII byte when the document names no encoding (libxml2 then
 * writes character references for those too). */
static int plain_value(const xmlDoc *doc, const char *v)
{
  size_t n = strcspn(v, "<>&\"\n\r\t");
  if (v[n])
    return 0;
  if (doc && doc->encoding)
    return 1;
  for (; *v; v++)
    if ((unsigned char)*v >= 0x80)
      return 0;
  return 1;
}

/* True when dump() writes N as libxml2 would: text, or an element whose
 * namespace declarations are local, not "xml", with an href libxml2
 * puts in double quotes, and whose attributes each hold one text. */
static int dumpable(const xmlNode *n)
{
  if (n->type == XML_TEXT_NODE)
    return n->name && strcmp((const char *)n->name, "textnoenc") != 0; /* libxml2's
                                         unescaped text (xmlStringTextNoenc, not exported) */
  if (n->type != XML_ELEMENT_NODE)
    return 0;
  for (const xmlNs *ns = n->nsDef; ns; ns = ns->next)
    if (ns->type != XML_LOCAL_NAMESPACE || !ns->href || strchr((const char *)ns->href, '"') ||
        (ns->prefix && strcmp((const char *)ns->prefix, "xml") == 0))
      return 0;
  for (const xmlAttr *a = n->properties; a; a = a->next)
    if (!a->children || a->children->next || a->children->type != XML_TEXT_NODE)
      return 0;
  return 1;
}

/* With FORMAT, an element whose children are all elements puts each on
 * its own line, indented two spaces a level (at most 30 levels,
 * libxml2's 60 columns); an element with text among its children is
 * written as it is, and so is everything inside it.  Recursion follows
 * the tree's depth, which the readers bound. */
static void dump(struct dumper *d, xmlNodePtr n, int level, int format)
{
  xmlOutputBufferPtr buf = d->buf;
  if (!dumpable(n)) {
    xmlNodeDumpOutput(buf, n->doc, n, level, format, "UTF-8");
    return;
  }
  if (n->type == XML_TEXT_NODE) {
    if (n->content)
      put_text(buf, (const char *)n->content);
    return;
  }
  xmlOutputBufferWrite(buf, 1, "<");
  put_name(buf, n->ns, n->name);
  for (const xmlNs *ns = n->nsDef; ns; ns = ns->next) {
    if (ns->prefix) {
      xmlOutputBufferWrite(buf, 7, " xmlns:");
      xmlOutputBufferWriteString(buf, (const char *)ns->prefix);
      xmlOutputBufferWrite(buf, 2, "=\"");
    } else
      xmlOutputBufferWrite(buf, 8, " xmlns=\"");
    xmlOutputBufferWriteString(buf, (const char *)ns->href);
    xmlOutputBufferWrite(buf, 1, "\"");
  }
  for (xmlAttrPtr a = n->properties; a; a = a->next) {
    const char *v = (const char *)a->children->content;
    xmlOutputBufferWrite(buf, 1, " ");
    put_name(buf, a->ns, a->name);
    xmlOutputBufferWrite(buf, 2, "=\"");
    if (!v)
      ;
    else if (plain_value(a->doc, v))
      xmlOutputBufferWriteString(buf, v);
    else if (d->attr || (d->attr = xmlBufferCreate())) {
      xmlBufferEmpty(d->attr);
      xmlAttrSerializeTxtContent(d->attr, a->doc, a, (const xmlChar *)v);
      put(buf, (const char *)xmlBufferContent(d->attr), (size_t)xmlBufferLength(d->attr));
    } else
      d->oom = 1;
    xmlOutputBufferWrite(buf, 1, "\"");
  }
  if (!n->children) {
    xmlOutputBufferWrite(buf, 2, "/>");
    return;
  }
  xmlOutputBufferWrite(buf, 1, ">");
  int inner = format;
  for (const xmlNode *c = n->children; c && inner; c = c->next)
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE ||
        c->type == XML_ENTITY_REF_NODE)
      inner = 0;
  if (inner)
    xmlOutputBufferWrite(buf, 1, "\n");
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (inner)
      put_indent(buf, level + 1 < 30 ? level + 1 : 30);
    dump(d, c, level + 1, inner);
    if (inner)
      xmlOutputBufferWrite(buf, 1, "\n");
  }
  if (inner)
    put_indent(buf, level < 30 ? level : 30);
  xmlOutputBufferWrite(buf, 2, "</");
  put_name(buf, n->ns, n->name);
  xmlOutputBufferWrite(buf, 1, ">");
}

/* libxml2 writes XHTML 1.0 documents (a DOCTYPE with XHTML's public or
 * system identifier) by other rules: those are left to it. */
static int xhtml_rules(const xmlDoc *doc)
{
  const xmlDtd *dtd = doc ? xmlGetIntSubset(doc) : NULL;
  return dtd && xmlIsXHTML(dtd->SystemID, dtd->ExternalID) > 0;
}

int emci_xml_dump(xmlOutputBufferPtr buf, xmlNodePtr node, int level, int format)
{
  if (xhtml_rules(node->doc)) {
    xmlNodeDumpOutput(buf, node->doc, node, level, format, "UTF-8");
    return EMC_OK;
  }
  struct dumper d = { buf, NULL, 0 };
  dump(&d, node, level, format ? 1 : 0);
  xmlBufferFree(d.attr);
  return d.oom ? EMC_ENOMEM : EMC_OK;
}

/* ---- emci_xml_save ---- */

struct save_ctx {
  emc_output_sink sink;
  void *user;
  emc_error *err;
  int rc;
};

static int save_write(void *user, const char *buf, int len)
{
  struct save_ctx *s = user;
  if (s->rc)
    return -1;
  s->rc = s->sink(s->user, buf, (size_t)len, s->err);
  return s->rc ? -1 : len;
}

static int save_close(void *user)
{
  (void)user;
  return 0;
}

/* libxml2 reports a failing output callback ("I/O error : write error")
 * on its global error channel (per thread), which prints to stderr: the
 * error is ours to return (s.rc), so libxml2 is silenced while it saves.
 * Found by t0500-hostile (a write over `ulimit -f` gave two lines on
 * stderr). */
static void save_silent(void *user, const char *msg, ...)
{
  (void)user;
  (void)msg;
}

static void save_silent_structured(void *user, EMC_XMLERROR e)
{
  (void)user;
  (void)e;
}

/* Returns 0, -1 when out of memory, -2 when libxml2 failed otherwise. */
/* What xmlSaveDoc() does, for the documents dump() can write: an XML
 * document of version 1.0 without a standalone declaration, not XHTML
 * 1.0.  Like xmlSaveDoc(), the document's encoding is "UTF-8" while it is
 * written (attribute values then keep their non-ASCII characters). */
static int save_fast(xmlDocPtr doc, int format, struct save_ctx *s)
{
  xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(save_write, save_close, s, NULL);
  if (!buf)
    return -1;
  const xmlChar *encoding = doc->encoding;
  doc->encoding = (const xmlChar *)"UTF-8";
  xmlOutputBufferWriteString(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  struct dumper d = { buf, NULL, 0 };
  for (xmlNodePtr c = doc->children; c; c = c->next) {
    dump(&d, c, 0, format ? 1 : 0);
    if (c->type != XML_XINCLUDE_START && c->type != XML_XINCLUDE_END)
      xmlOutputBufferWrite(buf, 1, "\n");
  }
  doc->encoding = encoding;
  xmlBufferFree(d.attr);
  int failed = buf->error != 0;
  if (xmlOutputBufferClose(buf) < 0)
    failed = 1;
  return d.oom ? -1 : failed ? -2 : 0;
}

static int save_by_libxml2(xmlDocPtr doc, int format, struct save_ctx *s)
{
  xmlSaveCtxtPtr save = xmlSaveToIO(save_write, save_close, s, "UTF-8",
                                    format ? XML_SAVE_FORMAT : 0);
  if (!save)
    return -1;
  long r = xmlSaveDoc(save, doc);
  int c = xmlSaveClose(save);
  return r < 0 || c < 0 ? -2 : 0;
}

int emci_xml_save(xmlDocPtr doc, int format, emc_output_sink sink, void *user, emc_error *err)
{
  struct save_ctx s = { sink, user, err, EMC_OK };
  xmlGenericErrorFunc old_generic = xmlGenericError;
  void *old_generic_ctx = xmlGenericErrorContext;
  xmlStructuredErrorFunc old_structured = xmlStructuredError;
  void *old_structured_ctx = xmlStructuredErrorContext;
  xmlSetGenericErrorFunc(NULL, save_silent);
  xmlSetStructuredErrorFunc(NULL, save_silent_structured);
  int fast = doc->type == XML_DOCUMENT_NODE && doc->standalone < 0 &&
             (!doc->version || strcmp((const char *)doc->version, "1.0") == 0) &&
             !xhtml_rules(doc);
  int r = fast ? save_fast(doc, format, &s) : save_by_libxml2(doc, format, &s);
  xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
  xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
  if (s.rc)
    return s.rc;
  if (r == -1)
    return emc_error_set(err, EMC_ENOMEM, "cannot serialise XML");
  if (r < 0)
    return emc_error_set(err, EMC_ERROR, "serialising XML failed");
  return EMC_OK;
}
