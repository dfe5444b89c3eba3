/* SPDX-License-Identifier: MIT */
/* parallel.c - emc_doc_merge_parallel(): alignment, ids, languages,
 * resources, refusals; the versions are never changed. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/emuconv.h>
#include "../tap.h"
#include "xp.h"

/* A version: LANG (may be NULL), N paragraphs, one image. */
static emc_doc *version(const char *lang, int n)
{
  emc_doc *d = emc_doc_new();
  if (lang)
    emc_doc_meta_set(d, "language", lang);
  emc_doc_meta_set(d, "title", lang ? lang : "untitled");
  for (int i = 0; i < n; i++) {
    char text[32];
    snprintf(text, sizeof text, "%s paragraph %d.", lang ? lang : "?", i + 1);
    emc_ir_add(emc_doc_body(d), "p", text);
  }
  xmlNodePtr fig = emc_ir_add(emc_doc_body(d), "figure", NULL);
  xmlSetProp(emc_ir_add(fig, "image", NULL), BAD_CAST "ref", BAD_CAST "img.png");
  emc_doc_add_resource(d, "img.png", "image/png", "\x89PNG", 4, NULL);
  return d;
}

int main(void)
{
  emc_error err = EMC_ERROR_INIT;
  plan(17);
  emc_doc *v[3] = { version("en", 2), version("id", 2), version("en", 2) };
  const char *names[] = { "a.en", "b.id", "c.en" };
  emc_doc *m = NULL;
  is_int(emc_doc_merge_parallel((const emc_doc *const *)v, names, 3, &m, &err), EMC_OK,
         "three versions of two paragraphs merge");
  is_int(emc_doc_validate(m, &err), EMC_OK, "the result is valid IR 1.1");
  is_str(xp(m, "string(/ir:document/@version)"), EMC_IR_VERSION, "... and says so");
  is_str(xp(m, "count(/ir:document/ir:body/ir:section[@type='translation'])"), "3",
         "a translation section per version");
  is_str(xp(m, "concat(//ir:section[1]/@xml:id, ' ', //ir:section[2]/@xml:id, ' ', //ir:section[3]/@xml:id)"),
         "en id en-3", "ids from the languages, made unique");
  is_str(xp(m, "string(//ir:section[@xml:id='id']/@xml:lang)"), "id", "each in its language");
  is_str(xp(m, "string(//ir:section[@xml:id='id']/ir:meta/ir:title)"), "id", "with its own metadata");
  is_str(xp(m, "string(/ir:document/ir:meta/ir:language)"), "en", "the first version's metadata is the text's");
  is_str(xp(m, "string(/ir:document/ir:alignment/ir:link[2]/@targets)"), "en.p2 id.p2 en-3.p2",
         "the second link names the second paragraph of each");
  is_str(xp(m, "count(/ir:document/ir:alignment/ir:link)"), "2", "a link per paragraph");
  ok(emc_doc_resource_find(m, "id-img.png") && emc_doc_resource_find(m, "en-3-img.png"),
     "resources renamed per version");
  is_str(xp(m, "string(//ir:section[@xml:id='id']//ir:image/@ref)"), "id-img.png", "and so are their references");
  is_str(xp(v[1], "count(//@xml:id)"), "0", "the versions are not changed");
  emc_doc_free(m);
  m = NULL;

  emc_doc *shorter = version(NULL, 1);
  emc_doc *w[2] = { v[0], shorter };
  const char *wn[] = { "a.en", "b.txt" };
  is_int(emc_doc_merge_parallel((const emc_doc *const *)w, wn, 2, &m, &err), EMC_EPARSE,
         "a version with fewer paragraphs does not align");
  is_str(err.file, "b.txt", "the error names it");
  is_str(err.message, "cannot align: 1 paragraph, a.en has 2", "and both counts");
  emc_error_release(&err);
  is_int(emc_doc_merge_parallel((const emc_doc *const *)w, NULL, 1, &m, &err), EMC_EINVAL,
         "one version is not a parallel text");
  emc_error_release(&err);
  emc_doc_free(shorter);
  for (int i = 0; i < 3; i++)
    emc_doc_free(v[i]);
  return done_testing();
}
