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

/* The helpers below are static inline: not every harness uses each of
 * them, and an unused static inline function draws no warning. */

/* fuzz_setup() for a harness that runs writers: their timestamps fixed,
 * so that the output does not depend on the clock. */
static inline void fuzz_setup_writing(void)
{
  fuzz_setup();
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
}

/* Every registered plugin that writes, in registry order, in a calloc'd
 * array kept for the whole run; its length in *N.  A build without any
 * writer is broken. */
static inline const emc_plugin **fuzz_all_writers(size_t *n)
{
  size_t count = emc_registry_count(fuzz_ctx);
  const emc_plugin **writers = calloc(count + 1, sizeof *writers);
  if (!writers)
    fuzz_die("calloc", NULL);
  *n = 0;
  for (size_t i = 0; i < count; i++) {
    const emc_plugin *p = emc_registry_at(fuzz_ctx, i, NULL);
    if (p && p->write)
      writers[(*n)++] = p;
  }
  if (*n == 0)
    fuzz_die("no writer registered", NULL);
  return writers;
}

/* The default filter chain split once into a NULL-terminated array kept
 * for the whole run; each filter must be registered. */
static inline char **fuzz_default_filters(void)
{
  char *chain = strdup(emc_default_filters());
  size_t n = 1;
  if (!chain)
    fuzz_die("strdup", NULL);
  for (const char *c = chain; *c; c++)
    n += *c == ',';
  char **filters = calloc(n + 1, sizeof *filters);
  if (!filters)
    fuzz_die("calloc", NULL);
  n = 0;
  for (char *tok = strtok(chain, ","); tok; tok = strtok(NULL, ","))
    if (*tok) {
      fuzz_plugin(tok, EMC_ROLE_FILTER);
      filters[n++] = tok;
    }
  return filters;
}

/* Runs FILTERS (NULL-terminated) on DOC; a filter may fail, but only
 * with a one-line message. */
static inline void fuzz_run_filters(emc_doc *doc, char *const *filters)
{
  emc_error err = EMC_ERROR_INIT;
  for (size_t i = 0; filters[i]; i++) {
    int rc = emc_filter_run(fuzz_ctx, filters[i], doc, &err);
    fuzz_check_error(rc, &err);
    emc_error_release(&err);
  }
}

/* Writes DOC with each of the N WRITERS into memory: a writer that
 * succeeds must write something, one that fails must say why in one line. */
static inline void fuzz_write_all(emc_doc *doc,
                                  const emc_plugin *const *writers,
                                  size_t n)
{
  emc_error err = EMC_ERROR_INIT;
  for (size_t i = 0; i < n; i++) {
    emc_output *out = emc_output_memory_new();
    if (!out)
      fuzz_die("emc_output_memory_new", NULL);
    int rc = writers[i]->write(fuzz_ctx, doc, out, &err);
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
}
#endif
