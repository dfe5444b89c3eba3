/* SPDX-License-Identifier: MIT */
/* ir.c - the intermediate representation itself, as a format: read it
 * back (checked against the IR grammar, under the node limit) and write it (pretty-printed UTF-8).
 * Lets users run any XML tool between emuconv's reader and writer:
 *   emuconv a.txt -t ir - | xsltproc my.xsl - | emuconv -f ir - out.tei */
#include <config.h>
#include <string.h>
#include <emuconv/plugin.h>

static int ir_probe(const unsigned char *head, size_t len)
{
  static const char ns[] = EMC_IR_NS;
  for (size_t i = 0; i + sizeof ns - 1 <= len; i++)
    if (memcmp(head + i, ns, sizeof ns - 1) == 0)
      return 90;
  return 0;
}

/* The IR's elements are counted against --limit nodes, as every reader
 * counts the elements it makes (issue 32). */
static int ir_read(emc_ctx *ctx, const emc_input *in, emc_doc **out,
                   emc_error *err)
{
  emc_doc *doc = NULL;
  int rc = emc_doc_parse(in->data, in->size, in->name, &doc, err);
  if (rc)
    return rc;
  size_t max = emc_ctx_limits(ctx)->max_nodes;
  if (emc_doc_exceeds_nodes(doc, max)) {
    emc_doc_free(doc);
    return emc_error_set(err, EMC_ELIMIT, "the document has more than %zu IR nodes (the node limit)",
                         max);
  }
  *out = doc;
  return EMC_OK;
}

static int ir_write(emc_ctx *ctx, const emc_doc *doc, emc_output *out,
                    emc_error *err)
{
  (void)ctx;
  return emc_doc_serialize(doc, out, err);
}

static const char *const ir_extensions[] = { "ir", "ir.xml", NULL };
static const char *const ir_mime_types[] = { "application/x-emuconv-ir+xml", NULL };

EMC_PLUGIN_DEFINE(ir, "ir", PACKAGE_VERSION, "emuconv intermediate XML (read and write)",
                  .extensions = ir_extensions, .mime_types = ir_mime_types, .probe = ir_probe,
                  .read = ir_read, .write = ir_write)
