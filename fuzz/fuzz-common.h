/* SPDX-License-Identifier: MIT */
/* fuzz-common.h - what every libFuzzer harness shares: one context, made
 * once in LLVMFuzzerInitialize with the build tree's plugin directories.
 *
 * Every module is opened there, before the fuzzing loop starts, so that
 * libFuzzer registers the coverage counters of the plugins (built with
 * -fsanitize=fuzzer-no-link) and the modules stay loaded for the whole run
 * (the context is never freed: closing a module would drop its counters).
 */
#ifndef EMUCONV_FUZZ_COMMON_H
#define EMUCONV_FUZZ_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/emuconv.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emc_ctx *fuzz_ctx;

/* Dies loudly (libFuzzer reports it as a crash) when the harness itself
 * cannot be set up: a fuzzer that silently finds no plugin fuzzes nothing. */
static void fuzz_die(const char *what, const emc_error *err)
{
  fprintf(stderr, "fuzz: %s: %s\n", what,
          err && err->message ? err->message : "failed");
  abort();
}

static void fuzz_setup(void)
{
  emc_error err = EMC_ERROR_INIT;
  fuzz_ctx = emc_ctx_new();
  if (!fuzz_ctx)
    fuzz_die("emc_ctx_new", NULL);
  /* Build-tree directories first, in their configured order. */
  char *dirs = strdup(EMUCONV_BUILD_PLUGIN_DIRS);
  if (!dirs)
    fuzz_die("strdup", NULL);
  char *last = strrchr(dirs, ':');
  while (last) {
    if (emc_ctx_prepend_plugin_dir(fuzz_ctx, last + 1) != EMC_OK)
      fuzz_die("emc_ctx_prepend_plugin_dir", NULL);
    *last = '\0';
    last = strrchr(dirs, ':');
  }
  if (emc_ctx_prepend_plugin_dir(fuzz_ctx, dirs) != EMC_OK)
    fuzz_die("emc_ctx_prepend_plugin_dir", NULL);
  free(dirs);
  /* Limits small enough that a hostile input hits them before the
   * fuzzer's -rss_limit_mb, large enough for every seed. */
  emc_limits lim = *emc_ctx_limits(fuzz_ctx);
  lim.max_input_bytes = (size_t)16 << 20;
  lim.max_entry_bytes = (size_t)64 << 20;
  lim.max_total_bytes = (size_t)128 << 20;
  lim.max_nodes = (size_t)2 * 1000 * 1000;
  emc_ctx_set_limits(fuzz_ctx, &lim);
  if (emc_registry_scan(fuzz_ctx, &err) != EMC_OK)
    fuzz_die("emc_registry_scan", &err);
  emc_error_release(&err);
}

/* Looks up plugin NAME with ROLE; a missing plugin is a broken build. */
static const emc_plugin *fuzz_plugin(const char *name, unsigned role)
{
  const emc_plugin *p = NULL;
  emc_error err = EMC_ERROR_INIT;
  if (emc_registry_find(fuzz_ctx, name, role, &p, &err) != EMC_OK)
    fuzz_die(name, &err);
  emc_error_release(&err);
  return p;
}

/* An error must carry a message: the CLI prints it as its one line. */
static void fuzz_check_error(int rc, const emc_error *err)
{
  if (rc == EMC_OK)
    return;
  if (err->code != rc || !err->message || !*err->message ||
      strchr(err->message, '\n'))
    fuzz_die("error without a one-line message", err);
}
#endif
