/* SPDX-License-Identifier: MIT */
/* xmlsave.c - emc_output_save_xml() and emc_output_dump_xml() write
 * libxml2's bytes.
 *
 * They serialise elements and text themselves (core/xmlsave.c, private to
 * the core, kept for speed), so every writer's output depends on their
 * matching what xmlSaveDoc() and xmlNodeDumpOutput() of the libxml2 we
 * run on write.  Compared here:
 * documents built for the corner cases (attribute escapes with and
 * without a document encoding, namespace declarations, nodes only
 * libxml2 writes, mixed content, nesting past the indent cap, XHTML 1.0,
 * declarations with standalone or another version), then each XML file
 * named on the command line (t2010 passes the test data and the XML
 * parts of every writer's output), parsed as it is and without blank
 * text nodes, each saved without and with indenting, and its root
 * element dumped at levels 0 and 3: one test a document. */
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <emuconv/emuconv.h>
#include "../tap.h"

struct bytes {
  char *p;
  size_t len;
};

static int grow(struct bytes *b, const void *data, size_t len)
{
  char *p = realloc(b->p, b->len + len + 1);
  if (!p)
    return -1;
  memcpy(p + b->len, data, len);
  b->p = p;
  b->len += len;
  p[b->len] = '\0';
  return 0;
}

/* The bytes OUT (a memory output) holds, as GOT. */
static void take(emc_output *out, struct bytes *got)
{
  size_t len = 0;
  const unsigned char *p = out ? emc_output_memory_data(out, &len) : NULL;
  if (p && len)
    grow(got, p, len);
}

static int io_write(void *user, const char *data, int len)
{
  return grow(user, data, (size_t)len) ? -1 : len;
}

static int io_close(void *user)
{
  (void)user;
  return 0;
}

/* True when GOT and WANT are the same bytes; else says where they part,
 * with a little of each around. */
static int same(const struct bytes *got, const struct bytes *want, const char *what)
{
  size_t i = 0;
  while (i < got->len && i < want->len && got->p[i] == want->p[i])
    i++;
  if (got->len == want->len && i == got->len)
    return 1;
  size_t from = i > 40 ? i - 40 : 0;
  printf("# %s: differ at byte %zu of %zu / %zu\n#   got:  %.80s\n#   want: %.80s\n", what, i,
         got->len, want->len, got->p ? got->p + from : "", want->p ? want->p + from : "");
  return 0;
}

static int check_save(xmlDocPtr doc, int format, const char *what)
{
  struct bytes got = { 0 }, want = { 0 };
  emc_error err = { 0 };
  emc_output *out = emc_output_memory_new();
  int rc = out ? emc_output_save_xml(out, doc, format, &err) : EMC_ENOMEM;
  take(out, &got);
  emc_output_free(out);
  emc_error_release(&err);
  xmlSaveCtxtPtr save = xmlSaveToIO(io_write, io_close, &want, "UTF-8", format ? XML_SAVE_FORMAT : 0);
  long r = save ? xmlSaveDoc(save, doc) : -1;
  if (save)
    xmlSaveClose(save);
  char name[512];
  snprintf(name, sizeof name, "%s: emc_output_save_xml(format %d) = xmlSaveDoc", what, format);
  int agree = rc == EMC_OK && r >= 0 && same(&got, &want, name);
  if (rc != EMC_OK || r < 0)
    printf("# %s: emc_output_save_xml %d, xmlSaveDoc %ld\n", name, rc, r);
  free(got.p);
  free(want.p);
  return agree;
}

static int check_dump(xmlNodePtr node, int level, int format, const char *what)
{
  struct bytes got = { 0 }, want = { 0 };
  emc_error err = { 0 };
  emc_output *a = emc_output_memory_new();
  xmlOutputBufferPtr b = xmlOutputBufferCreateIO(io_write, io_close, &want, NULL);
  int rc = a && b ? emc_output_dump_xml(a, node, level, format, &err) : EMC_ENOMEM;
  if (b)
    xmlNodeDumpOutput(b, node->doc, node, level, format, "UTF-8");
  take(a, &got);
  emc_output_free(a);
  emc_error_release(&err);
  if (b)
    xmlOutputBufferClose(b);
  char name[512];
  snprintf(name, sizeof name, "%s: emc_output_dump_xml(level %d, format %d) = xmlNodeDumpOutput",
           what, level, format);
  int agree = rc == EMC_OK && same(&got, &want, name);
  if (rc != EMC_OK)
    printf("# %s: emc_output_dump_xml %d\n", name, rc);
  free(got.p);
  free(want.p);
  return agree;
}

/* One test a document: saved without and with indenting, its root
 * element dumped at levels 0 and 3, without and with indenting. */
static void check_doc(xmlDocPtr doc, const char *what)
{
  int agree = check_save(doc, 0, what);
  agree &= check_save(doc, 1, what);
  xmlNodePtr root = xmlDocGetRootElement(doc);
  if (root)
    for (int level = 0; level <= 3; level += 3)
      for (int format = 0; format <= 1; format++)
        agree &= check_dump(root, level, format, what);
  ok(agree, "%s: emc_output_save_xml() and emc_output_dump_xml() write what libxml2 does (%d ways)", what,
     root ? 6 : 2);
}

static xmlNodePtr add(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
  return xmlNewChild(parent, ns, BAD_CAST name, text ? BAD_CAST text : NULL);
}

/* The corner cases, in one document each. */
static void built(void)
{
  /* attribute values: every escape, and non-ASCII, which libxml2 writes
   * as character references when the document names no encoding */
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "r", NULL);
  xmlDocSetRootElement(doc, root);
  xmlNodePtr e = add(root, NULL, "a", NULL);
  xmlSetProp(e, BAD_CAST "plain", BAD_CAST "p-1 x");
  xmlSetProp(e, BAD_CAST "markup", BAD_CAST "<b> & \"q\" 'a'");
  xmlSetProp(e, BAD_CAST "space", BAD_CAST "tab\there\nline\rcr");
  xmlSetProp(e, BAD_CAST "utf8", BAD_CAST "Hà Nội \xe0\xa4\xb9\xe0\xa4\xbf \xf0\x9f\x98\x80");
  xmlSetProp(e, BAD_CAST "empty", BAD_CAST "");
  xmlNodeSetLang(e, BAD_CAST "vi");
  xmlNodeAddContent(add(root, NULL, "t", NULL), BAD_CAST "a < b > c & d\r\n\"e\" 'f' \xc3\xa9");
  add(root, NULL, "empty", NULL);
  add(root, NULL, "empty-text", "");
  check_doc(doc, "attributes and text, no document encoding");
  doc->encoding = xmlStrdup(BAD_CAST "ISO-8859-1");
  check_doc(doc, "attributes and text, an encoding named");
  xmlFreeDoc(doc);

  /* namespaces: default, prefixed, on inner elements, one whose href
   * needs other quotes, xml:lang */
  doc = xmlNewDoc(BAD_CAST "1.0");
  root = xmlNewDocNode(doc, NULL, BAD_CAST "html", NULL);
  xmlDocSetRootElement(doc, root);
  xmlNsPtr x = xmlNewNs(root, BAD_CAST "http://www.w3.org/1999/xhtml", NULL);
  xmlNsPtr ep = xmlNewNs(root, BAD_CAST "http://www.idpf.org/2007/ops", BAD_CAST "epub");
  xmlSetNs(root, x);
  xmlNodeSetLang(root, BAD_CAST "hi");
  e = add(root, x, "section", NULL);
  xmlSetNsProp(e, ep, BAD_CAST "type", BAD_CAST "chapter");
  xmlNodePtr odd = add(e, NULL, "odd", "text");
  xmlSetNs(odd, xmlNewNs(odd, BAD_CAST "urn:a\"b", BAD_CAST "q"));
  xmlNodePtr both = add(e, NULL, "both", NULL);
  xmlSetNs(both, xmlNewNs(both, BAD_CAST "urn:a\"b'c", NULL));
  check_doc(doc, "namespace declarations");
  xmlFreeDoc(doc);

  /* nodes only libxml2 writes, mixed content, and nesting past the
   * 30-level indent cap */
  doc = xmlNewDoc(BAD_CAST "1.0");
  root = xmlNewDocNode(doc, NULL, BAD_CAST "r", NULL);
  xmlDocSetRootElement(doc, root);
  xmlAddPrevSibling(root, xmlNewDocComment(doc, BAD_CAST " before "));
  xmlAddChild(root, xmlNewDocComment(doc, BAD_CAST " a comment "));
  xmlAddChild(root, xmlNewDocPI(doc, BAD_CAST "pi", BAD_CAST "data"));
  e = add(root, NULL, "c", NULL);
  xmlAddChild(e, xmlNewCDataBlock(doc, BAD_CAST "<raw> & ]]", 10));
  e = add(root, NULL, "mixed", "text ");
  add(add(e, NULL, "b", NULL), NULL, "i", "inner");
  xmlNodeAddContent(e, BAD_CAST " tail");
  e = add(root, NULL, "ref", NULL);
  xmlAddChild(e, xmlNewReference(doc, BAD_CAST "&amp;"));
  xmlNodePtr deep = root;
  for (int i = 0; i < 34; i++)
    deep = add(deep, NULL, "l", NULL);
  add(deep, NULL, "leaf", "34 levels down");
  xmlNodePtr raw = xmlNewTextLen(BAD_CAST "<unescaped/>", 12);
  raw->name = BAD_CAST "textnoenc"; /* only libxml2 makes these; by another pointer */
  xmlAddChild(add(root, NULL, "noenc", NULL), raw);
  check_doc(doc, "comments, PIs, CDATA, references, mixed content, 34 levels");
  xmlFreeDoc(doc);

  /* declarations and document types that are libxml2's alone */
  const char *const texts[][2] = {
    { "<?xml version=\"1.0\" standalone=\"yes\"?><r a=\"1\"><s>x</s></r>", "standalone" },
    { "<?xml version=\"1.1\"?><r><s>x</s></r>", "version 1.1" },
    { "<!DOCTYPE html><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>x<br/></p><p/></body></html>",
      "an HTML5 doctype" },
    { "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
      "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\"><html "
      "xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>t</title></head><body><p>x<br/></p><p/></body></html>",
      "XHTML 1.0" },
    { "<!-- c --><?pi x?><r/><!-- after -->", "comment and PI around the root" },
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    doc = xmlReadMemory(texts[i][0], (int)strlen(texts[i][0]), texts[i][1], NULL,
                        XML_PARSE_NONET | XML_PARSE_NOWARNING);
    if (!doc) {
      ok(0, "%s: parsed", texts[i][1]);
      continue;
    }
    check_doc(doc, texts[i][1]);
    xmlFreeDoc(doc);
  }
}

int main(int argc, char **argv)
{
  built();
  for (int i = 1; i < argc; i++)
    for (int blanks = 0; blanks <= 1; blanks++) {
      xmlDocPtr doc = xmlReadFile(argv[i], NULL, XML_PARSE_NONET | (blanks ? XML_PARSE_NOBLANKS : 0));
      char what[400];
      snprintf(what, sizeof what, "%s%s", argv[i], blanks ? " (no blank text)" : "");
      if (!doc) {
        ok(0, "%s: parsed", what);
        continue;
      }
      check_doc(doc, what);
      xmlFreeDoc(doc);
    }
  printf("1..%d\n", tap_count);
  return done_testing();
}
