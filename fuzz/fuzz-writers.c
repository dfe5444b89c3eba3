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
  fuzz_setup();
  /* Fixed timestamps: the output must not depend on the clock. */
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  size_t n = emc_registry_count(fuzz_ctx);
  writer_plugins = calloc(n + 1, sizeof *writer_plugins);
  if (!writer_plugins)
    fuzz_die("calloc", NULL);
  for (size_t i = 0; i < n; i++) {
    const emc_plugin *p = emc_registry_at(fuzz_ctx, i, NULL);
    if (p && p->write)
      writer_plugins[n_writers++] = p;
  }
  if (n_writers == 0)
    fuzz_die("no writer registered", NULL);
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
  for (size_t i = 0; i < n_writers; i++) {
    emc_output *out = emc_output_memory_new();
    if (!out)
      fuzz_die("emc_output_memory_new", NULL);
    rc = writer_plugins[i]->write(fuzz_ctx, doc, out, &err);
    fuzz_check_error(rc, &err);
    emc_error_release(&err);
    if (rc == EMC_OK) {
      size_t len = 0;
      emc_output_memory_data(out, &len);
      if (len == 0)
        fuzz_die("a writer succeeded with no bytes", NULL);
    }
    emc_output_free(out);
  }
  emc_doc_free(doc);
  return 0;
}
