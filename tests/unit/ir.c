/* SPDX-License-Identifier: MIT */
/* ir.c - the IR helpers: metadata, sections, resources, validation. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/emuconv.h>
#include "../tap.h"
#include "xp.h"

int main(void)
{
  emc_error err = EMC_ERROR_INIT;
  plan(25);
  emc_doc *d = emc_doc_new();
  ok(d != NULL, "new document");
  is_int(emc_doc_validate(d, &err), EMC_OK, "an empty document is valid");

  emc_doc_meta_set(d, "title", "First");
  emc_doc_meta_set(d, "title", "Second");
  char *t = emc_doc_meta_get(d, "title");
  is_str(t, "Second", "meta_set replaces");
  free(t);
  is_str(xp(d, "count(//ir:meta/ir:title)"), "1", "... leaving one title");
  emc_doc_meta_add(d, "author", "A");
  emc_doc_meta_add(d, "author", "B");
  is_str(xp(d, "count(//ir:meta/ir:author)"), "2", "meta_add appends authors");
  emc_doc_meta_set(d, "language", "hi");
  is_str(xp(d, "string(/ir:document/@xml:lang)"), "hi", "language also sets the root xml:lang");
  emc_doc_meta_set(d, "department", "Emulation");
  char *f = emc_doc_meta_get(d, "department");
  is_str(f, "Emulation", "other keys become <field name=...>");
  free(f);
  emc_doc_meta_set(d, "language", NULL);
  is_str(xp(d, "count(/ir:document/@xml:lang)"), "0", "removing the language removes xml:lang");
  ok(emc_doc_meta_get(d, "language") == NULL, "... and the element");

  xmlNodePtr cur = emc_doc_body(d);
  emc_ir_add(cur, "p", "before");
  cur = emc_ir_open_section(cur, 1);
  emc_ir_add(cur, "heading", "H1");
  cur = emc_ir_open_section(cur, 3);
  emc_ir_add(cur, "heading", "H3");
  cur = emc_ir_open_section(cur, 2);
  emc_ir_add(cur, "heading", "H2");
  is_int(emc_ir_section_level(cur), 2, "open_section returns the new section");
  is_str(xp(d, "string(//ir:section[@level=1]/ir:section[2]/ir:heading)"), "H2",
         "a level-2 heading after a level-3 one closes it and nests in level 1");
  cur = emc_ir_open_section(cur, 1);
  emc_ir_add(cur, "heading", "Next");
  is_str(xp(d, "count(/ir:document/ir:body/ir:section)"), "2", "a new level 1 goes back to the body");
  is_int(emc_doc_validate(d, &err), EMC_OK, "the result is valid");
  emc_ir_add_text(emc_ir_add(cur, "p", "a < b & "), "c", 1);
  is_str(xp(d, "string((//ir:p)[last()])"), "a < b & c", "text is escaped, not parsed");

  is_int(emc_doc_add_resource(d, "img1.png", "image/png", "\x89PNG", 4, &err), EMC_OK, "add a resource");
  is_int(emc_doc_add_resource(d, "img1.png", "image/png", "x", 1, &err), EMC_EINVAL, "a taken name is refused");
  is_int(emc_doc_add_resource(d, "../evil.png", "image/png", "x", 1, &err), EMC_EINVAL, "a path-unsafe name is refused");
  ok(emc_doc_resource_find(d, "img1.png") && emc_doc_resource_find(d, "img1.png")->size == 4,
     "find a resource by name");

  /* resources survive the IR as XML (base64) */
  emc_doc_add_resource(d, "big.bin", "application/octet-stream", "\0\1\2\3\4\5\6\7\x80\xff", 10, &err);
  emc_output *mem = emc_output_memory_new();
  is_int(emc_doc_serialize(d, mem, &err), EMC_OK, "serialize with resources");
  size_t len;
  const unsigned char *xml = emc_output_memory_data(mem, &len);
  emc_doc *back = NULL;
  is_int(emc_doc_parse(xml, len, "mem", &back, &err), EMC_OK, "... parses back (valid IR)");
  const emc_resource *r = back ? emc_doc_resource_find(back, "big.bin") : NULL;
  ok(r && r->size == 10 && memcmp(r->data, "\0\1\2\3\4\5\6\7\x80\xff", 10) == 0 &&
     emc_doc_resource_count(back) == 2 && strcmp(r->media_type, "application/octet-stream") == 0,
     "... with the resources byte for byte");
  is_str(xp(back, "count(//ir:resources)"), "0", "... and no <resources> left in the tree");
  is_str(xp(d, "count(//ir:resources)"), "0", "serializing did not touch the original tree");
  emc_doc_free(back);
  emc_output_free(mem);

  emc_ir_add(emc_doc_body(d), "bogus", NULL);
  is_int(emc_doc_validate(d, &err), EMC_EPARSE, "an unknown element fails validation");
  ok(err.message && strstr(err.message, "ir.rng"), "... with a message naming the schema: %s", err.message);
  emc_error_release(&err);
  emc_doc_free(d);
  return done_testing();
}
