/* SPDX-License-Identifier: MIT */
/* fuzz-reader.c - one reader (FUZZ_READER, set by the build: txt, html,
 * docx, ir) on arbitrary bytes, through the public API. */
#include <config.h>
#include "fuzz-common.h"

#ifndef FUZZ_READER
#error "define FUZZ_READER"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fuzz_setup();
  fuzz_plugin(FUZZ_READER, EMC_ROLE_READER);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  emc_doc *doc = NULL;
  emc_error err = EMC_ERROR_INIT;
  int rc = emc_read_memory(fuzz_ctx, "fuzz-input." FUZZ_READER, data, size,
                           FUZZ_READER, &doc, &err);
  fuzz_check_error(rc, &err);
  if (rc == EMC_OK && !doc)
    fuzz_die("reader succeeded without a document", NULL);
  emc_doc_free(doc);
  emc_error_release(&err);
  return 0;
}
