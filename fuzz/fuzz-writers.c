/* SPDX-License-Identifier: MIT */
/* fuzz-writers.c - every registered writer on arbitrary IR (issue 31).
 *
 * The fuzzer's bytes are parsed as IR XML (emc_doc_parse, which checks the
 * schema's grammar); input that is not valid IR is skipped, so every
 * execution that gets past the parser exercises the writers on a document
 * no reader may ever make: any nesting, any attribute value, any resource
 * the grammar allows.  Each writer writes to memory; a writer that
 * succeeds must write something, one that fails must say why in one line. */
#include <config.h>
#include "fuzz-common.h"

static const emc_plugin **writer_plugins;
static size_t n_writers;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fuzz_setup_writing();
  writer_plugins = fuzz_all_writers(&n_writers);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  emc_doc *doc = NULL;
  emc_error err = EMC_ERROR_INIT;
  int rc = emc_doc_parse(data, size, "fuzz-input.ir", &doc, &err);
  emc_error_release(&err);
  if (rc != EMC_OK)
    return 0;
  if (emc_doc_exceeds_nodes(doc, emc_ctx_limits(fuzz_ctx)->max_nodes)) {
    emc_doc_free(doc);
    return 0;
  }
  fuzz_write_all(doc, writer_plugins, n_writers);
  emc_doc_free(doc);
  return 0;
}
