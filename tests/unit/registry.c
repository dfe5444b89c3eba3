/* SPDX-License-Identifier: MIT */
/* registry.c - the loader: ABI checks, missing symbol, duplicates, lazy
 * loading, extension lookup, and atomic output around a failing writer.
 * Uses the modules built from tests/fake-plugins/fake.c. */
#include <config.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <emuconv/emuconv.h>
#include "../tap.h"

static char logbuf[16384];

static void capture(void *user, int level, const char *msg)
{
  (void)user;
  size_t n = strlen(logbuf);
  snprintf(logbuf + n, sizeof logbuf - n, "%s:%s\n",
           level == EMC_LOG_WARN ? "W" : level == EMC_LOG_INFO ? "I" : "D", msg);
}

static emc_ctx *new_ctx(void)
{
  emc_ctx *ctx = emc_ctx_new();
  emc_ctx_set_log_handler(ctx, capture, NULL);
  logbuf[0] = '\0';
  return ctx;
}

static int has_log(const char *level, const char *a, const char *b)
{
  for (char *line = logbuf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    char one[1024];
    snprintf(one, sizeof one, "%.*s", (int)len, line);
    if (strncmp(one, level, 1) == 0 && strstr(one, a) && (!b || strstr(one, b)))
      return 1;
  }
  return 0;
}

static int loaded(emc_ctx *ctx, const char *name)
{
  for (size_t i = 0; i < emc_registry_count(ctx); i++)
    if (strcmp(emc_registry_at(ctx, i, NULL)->name, name) == 0)
      return 1;
  return 0;
}

static int dir_entries(const char *dir)
{
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
  if (d)
    closedir(d);
  return n;
}

int main(void)
{
  const char *top = getenv("top_builddir");
  char path[4096], tmpl[] = "/tmp/emuconv-registry.XXXXXX";
  emc_error err = EMC_ERROR_INIT;
  const emc_plugin *p = NULL;
  const char *from = NULL;
  if (!top) {
    printf("1..0 # SKIP run through make check\n");
    return 0;
  }
  snprintf(path, sizeof path, "%s/tests/fake-plugins:%s/tests/fake-plugins/dup", top, top);
  setenv("EMUCONV_PLUGIN_PATH", path, 1);
  char *tmp = mkdtemp(tmpl);
  plan(27);

  /* --- a full scan --- */
  emc_ctx *ctx = new_ctx();
  is_int(emc_registry_scan(ctx, &err), EMC_OK, "scan succeeds despite broken modules");
  ok(loaded(ctx, "good") && loaded(ctx, "failing"), "well-formed modules are loaded");
  ok(!loaded(ctx, "abi_major") && has_log("W", "abi_major", "ABI 2.0"),
     "a module built for another ABI major is refused with a warning naming it");
  ok(!loaded(ctx, "abi_minor") && has_log("W", "abi_minor", "ABI 1.1"),
     "a module built for a newer ABI minor is refused with a warning");
  ok(!loaded(ctx, "no_symbol") && !has_log("W", "no_symbol", NULL) && has_log("D", "no_symbol", "not an emuconv plugin"),
     "a module without the descriptor symbol is not a plugin (debug only)");
  ok(!loaded(ctx, "wrong_name") && !loaded(ctx, "somethingelse") && has_log("W", "wrong_name", "differs"),
     "a descriptor whose name is not the module's is refused");
  ok(!loaded(ctx, "no_role") && has_log("W", "no_role", "no read, write or filter"),
     "a descriptor with no role is refused");
  is_int(emc_registry_find(ctx, "good", EMC_ROLE_WRITER, &p, &err), EMC_OK, "find by name");
  emc_registry_at(ctx, 0, &from);
  for (size_t i = 0; i < emc_registry_count(ctx); i++)
    if (emc_registry_at(ctx, i, NULL) == p)
      emc_registry_at(ctx, i, &from);
  ok(from && !strstr(from, "/dup/"), "duplicate name: the first directory in the path wins (%s)", from);
  ok(has_log("I", "dup", "comes first in the path"), "the shadowed duplicate is reported");
  is_int(emc_registry_find(ctx, "abi_major", EMC_ROLE_WRITER, &p, &err), EMC_EFORMAT,
         "a refused module cannot be requested");
  is_int(emc_registry_find(ctx, "good", EMC_ROLE_READER, &p, &err), EMC_EFORMAT,
         "a writer-only module is not a reader");
  ok(err.message && strstr(err.message, "not a reader"), "... and the message says so");
  emc_ctx_free(ctx);

  /* --- lazy loading: only what is asked for --- */
  ctx = new_ctx();
  is_int(emc_registry_find(ctx, "good", EMC_ROLE_WRITER, &p, &err), EMC_OK, "lazy find by name");
  is_int((long long)emc_registry_count(ctx), 1, "... opened exactly one module");
  is_int(emc_registry_find_by_extension(ctx, "out.failing", EMC_ROLE_WRITER, &p, &err), EMC_OK,
         "find by extension");
  ok(p && strcmp(p->name, "failing") == 0 && emc_registry_count(ctx) == 2,
     "... through the module named after the extension, without a scan");
  is_int(emc_registry_find_by_extension(ctx, "out.nosuchformat", EMC_ROLE_WRITER, &p, &err),
         EMC_EFORMAT, "an unknown extension is EMC_EFORMAT");
  emc_ctx_free(ctx);

  /* --- atomic output --- */
  ctx = new_ctx();
  emc_doc *doc = emc_doc_new();
  char out[4200];
  snprintf(out, sizeof out, "%s/out.failing", tmp);
  is_int(emc_write_path(ctx, doc, out, NULL, NULL, &err), EMC_EIO, "a failing writer fails the write");
  struct stat st;
  ok(stat(out, &st) != 0 && dir_entries(tmp) == 0,
     "... and leaves neither the output nor a temporary file");
  snprintf(out, sizeof out, "%s/out.good", tmp);
  is_int(emc_write_path(ctx, doc, out, NULL, NULL, &err), EMC_OK, "a good writer writes");
  FILE *f = fopen(out, "r");
  char line[64] = "";
  if (f) {
    if (!fgets(line, sizeof line, f))
      line[0] = '\0';
    fclose(f);
  }
  is_str(line, "good\n", "... the whole output, renamed into place");
  ok(dir_entries(tmp) == 1, "... with no temporary file left");
  is_int(emc_write_path(ctx, doc, out, "failing", NULL, &err), EMC_EIO, "a failing writer over an existing file");
  f = fopen(out, "r");
  line[0] = '\0';
  if (f) {
    if (!fgets(line, sizeof line, f))
      line[0] = '\0';
    fclose(f);
  }
  is_str(line, "good\n", "... leaves the existing file as it was");
  is_int(emc_write_path(ctx, doc, out, NULL, out, &err), EMC_EINVAL, "refuses to overwrite the input");
  snprintf(out, sizeof out, "%s/missing-dir/out.good", tmp);
  is_int(emc_write_path(ctx, doc, out, NULL, NULL, &err), EMC_EIO, "a missing output directory is EMC_EIO");
  emc_doc_free(doc);
  emc_ctx_free(ctx);

  snprintf(out, sizeof out, "%s/out.good", tmp);
  unlink(out);
  rmdir(tmp);
  emc_error_release(&err);
  return done_testing();
}
