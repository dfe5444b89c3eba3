/* SPDX-License-Identifier: MIT */
/* odt-sample.c - writes OUTPUT.odt from a document that no reader can
 * produce yet: embedded images (PNG with a 300 dpi pHYs chunk, GIF, SVG,
 * one unused, one missing), white space that ODF would collapse (leading,
 * doubled and trailing spaces, tabs, newlines), a table with row and
 * column spans, a table and a note inside a list item, a table in a note,
 * a note inside a note, an image inside a link, languages the document
 * does not use.  For
 * tests/cli/t2200-odt.tap (a check program, never installed). */
#include <config.h>
#include <stdio.h>
#include <emuconv/emuconv.h>

static const unsigned char png[] =
  "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00"
  "\x00\x28\x00\x00\x00\x1e\x08\x02\x00\x00\x00\xd1\xbf\xcb\x8a\x00\x00\x00"
  "\x09\x70\x48\x59\x73\x00\x00\x2e\x23\x00\x00\x2e\x23\x01\x78\xa5\x3f\x76"
  "\x00\x00\x00\x2b\x49\x44\x41\x54\x78\xda\xed\xcd\x31\x0d\x00\x00\x08\x03"
  "\xb0\x29\x99\x7f\x29\xc8\x42\x06\x1c\x4d\xfa\x37\xd3\x9e\x88\x58\x2c\x16"
  "\x8b\xc5\x62\xb1\x58\x2c\x16\x8b\xff\xc6\x0b\xe4\xd9\xc2\xfd\xbb\xfd\x12"
  "\x80\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

static const unsigned char gif[] =
  "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01"
  "\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

static const char svg[] =
  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4cm\" viewBox=\"0 0 200 100\">"
  "<rect width=\"200\" height=\"100\" fill=\"#3465a4\"/></svg>";

static xmlNodePtr image(xmlNodePtr parent, const char *ref, const char *alt)
{
  xmlNodePtr i = emc_ir_add(parent, "image", NULL);
  xmlSetProp(i, BAD_CAST "ref", BAD_CAST ref);
  if (alt)
    xmlSetProp(i, BAD_CAST "alt", BAD_CAST alt);
  return i;
}

static xmlNodePtr note(xmlNodePtr parent, const char *text)
{
  xmlNodePtr n = emc_ir_add(parent, "note", NULL);
  emc_ir_add(n, "p", text);
  return n;
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: odt-sample OUTPUT.odt\n");
    return 2;
  }
  emc_error err = EMC_ERROR_INIT;
  emc_ctx *ctx = emc_ctx_new();
  emc_doc *doc = emc_doc_new();
  if (!ctx || !doc)
    return 1;
  emc_doc_meta_set(doc, "title", "Images and white space");
  emc_doc_meta_set(doc, "language", "en-GB");
  emc_doc_meta_add(doc, "author", "Le Hong");
  int rc = emc_doc_add_resource(doc, "dot.png", "image/png", png, sizeof png - 1, &err);
  if (!rc)
    rc = emc_doc_add_resource(doc, "pixel.gif", "image/gif", gif, sizeof gif - 1, &err);
  if (!rc)
    rc = emc_doc_add_resource(doc, "logo.svg", "image/svg+xml", svg, sizeof svg - 1, &err);
  if (!rc)
    rc = emc_doc_add_resource(doc, "unused.png", "image/png", png, sizeof png - 1, &err);
  if (rc) {
    fprintf(stderr, "odt-sample: %s\n", err.message);
    return 1;
  }

  xmlNodePtr body = emc_doc_body(doc);
  xmlNodePtr p = emc_ir_add(body, "p", "An inline dot ");
  image(p, "dot.png", "a red dot");
  emc_ir_add_text(p, " and a pixel ", 13);
  image(p, "pixel.gif", NULL);
  emc_ir_add_text(p, " in the text, and one ", 22);
  xmlNodePtr a = emc_ir_add(p, "a", "in a link ");
  xmlSetProp(a, BAD_CAST "href", BAD_CAST "https://example.org/dot");
  image(a, "dot.png", NULL);
  emc_ir_add_text(p, ".", 1);

  emc_ir_add(body, "p", "  Two leading spaces, two  inner spaces, a\ttab, a\nnewline"
                        " and three trailing spaces.   ");
  p = emc_ir_add(body, "p", "Spaces around markup: ");
  emc_ir_add(p, "em", " emphasised ");
  emc_ir_add_text(p, " then plain.", 12);

  xmlNodePtr fig = emc_ir_add(body, "figure", NULL);
  image(fig, "logo.svg", "The project logo");
  emc_ir_add(fig, "caption", "The logo, an SVG image.");
  fig = emc_ir_add(body, "figure", NULL);
  image(fig, "missing.png", "A picture that was lost");

  xmlNodePtr t = emc_ir_add(body, "table", NULL);
  xmlNodePtr row = emc_ir_add(t, "row", NULL);
  xmlSetProp(row, BAD_CAST "header", BAD_CAST "true");
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "Region");
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "Year");
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "Value");
  row = emc_ir_add(t, "row", NULL);
  xmlNodePtr c = emc_ir_add(row, "cell", NULL);
  xmlNodePtr outer;
  xmlSetProp(c, BAD_CAST "rowspan", BAD_CAST "2");
  emc_ir_add(c, "p", "North");
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "2024");
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "12");
  row = emc_ir_add(t, "row", NULL);
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "2025");
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "15");
  row = emc_ir_add(t, "row", NULL);
  c = emc_ir_add(row, "cell", NULL);
  xmlSetProp(c, BAD_CAST "colspan", BAD_CAST "3");
  emc_ir_add(c, "p", "All regions together.");

  p = emc_ir_add(body, "p", "A note with a table");
  outer = note(p, "The note's table:");
  t = emc_ir_add(outer, "table", NULL);
  row = emc_ir_add(t, "row", NULL);
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "Note cell one");
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "Note cell two");

  xmlNodePtr list = emc_ir_add(body, "list", NULL);
  xmlSetProp(list, BAD_CAST "ordered", BAD_CAST "true");
  xmlNodePtr item = emc_ir_add(list, "item", NULL);
  p = emc_ir_add(item, "p", "An item with a note");
  outer = note(p, "The outer note.");
  note(emc_ir_add(outer, "p", "It holds"), "an inner note");
  emc_ir_add_text(p, " and a table below.", 19);
  t = emc_ir_add(item, "table", NULL);
  row = emc_ir_add(t, "row", NULL);
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "Cell one");
  emc_ir_add(emc_ir_add(row, "cell", NULL), "p", "Cell two");

  p = emc_ir_add(body, "p", "Une phrase en français.");
  xmlNodeSetLang(p, BAD_CAST "fr-FR");
  p = emc_ir_add(body, "p", "\xe0\xa4\xaf\xe0\xa4\xb9 \xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\x82"
                            "\xe0\xa4\xa6\xe0\xa5\x80 \xe0\xa4\xb9\xe0\xa5\x88\xe0\xa5\xa4");
  xmlNodeSetLang(p, BAD_CAST "hi-IN");

  rc = emc_doc_validate(doc, &err);
  if (!rc)
    rc = emc_write_path(ctx, doc, argv[1], NULL, NULL, &err);
  if (rc)
    fprintf(stderr, "odt-sample: %s\n", err.message ? err.message : emc_strerror(rc));
  emc_error_release(&err);
  emc_doc_free(doc);
  emc_ctx_free(ctx);
  return rc ? 1 : 0;
}
