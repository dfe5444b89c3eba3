/* SPDX-License-Identifier: MIT */
/* fuzz-pipeline.c - the whole conversion in memory: the reader detected
 * from the content, the default filters, then every writer (tei, epub,
 * odt; ir as well) into a memory output. */
#include <config.h>
#include "fuzz-common.h"

static const char *const writers[] = { "tei", "epub", "odt", "ir", NULL };
static const emc_plugin *writer_plugins[sizeof writers / sizeof *writers];
static char **filters;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fuzz_setup_writing();
  for (size_t i = 0; writers[i]; i++)
    writer_plugins[i] = fuzz_plugin(writers[i], EMC_ROLE_WRITER);
  filters = fuzz_default_filters();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  emc_doc *doc = NULL;
  emc_error err = EMC_ERROR_INIT;
  /* No extension: the reader is chosen by the content probes alone. */
  int rc = emc_read_memory(fuzz_ctx, "fuzz-input", data, size, NULL, &doc,
                           &err);
  fuzz_check_error(rc, &err);
  emc_error_release(&err);
  if (rc != EMC_OK)
    return 0;
  fuzz_run_filters(doc, filters);
  fuzz_write_all(doc, writer_plugins, sizeof writers / sizeof *writers - 1);
  emc_doc_free(doc);
  return 0;
}
