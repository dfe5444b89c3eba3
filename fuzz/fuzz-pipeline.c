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
  fuzz_setup();
  /* Fixed timestamps: the output must not depend on the clock. */
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  for (size_t i = 0; writers[i]; i++)
    writer_plugins[i] = fuzz_plugin(writers[i], EMC_ROLE_WRITER);
  /* The default chain, split once. */
  char *chain = strdup(emc_default_filters());
  size_t n = 1;
  if (!chain)
    fuzz_die("strdup", NULL);
  for (const char *c = chain; *c; c++)
    n += *c == ',';
  filters = calloc(n + 1, sizeof *filters);
  if (!filters)
    fuzz_die("calloc", NULL);
  n = 0;
  for (char *tok = strtok(chain, ","); tok; tok = strtok(NULL, ","))
    if (*tok) {
      fuzz_plugin(tok, EMC_ROLE_FILTER);
      filters[n++] = tok;
    }
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
  for (size_t i = 0; filters[i]; i++) {
    rc = emc_filter_run(fuzz_ctx, filters[i], doc, &err);
    fuzz_check_error(rc, &err);
    emc_error_release(&err);
  }
  for (size_t i = 0; writers[i]; i++) {
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
