/* SPDX-License-Identifier: MIT */
/* batch-stamp.c - --skip-up-to-date (issue 33): what wrote an output, in
 * a small stamp beside it, DIR/.emuconv/NAME.EXT.stamp, and the test that
 * an output is up to date (doc/batch.md, "Incremental runs").
 *
 * An output is up to date when it is not older than its input and its
 * stamp names the same build (the version and a hash of the program, the
 * library and the plugins on the search path: a rebuild with better rules
 * converts again), the same settings (-t, -f, filters, -M, plugin
 * options) and the same catalogue row (a hash of its metadata).  A stamp
 * per output, not one file per directory: batches on several hosts, or
 * several at once, writing into one directory never write the same file. */
#define _GNU_SOURCE 1 /* dladdr */
#include <config.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "batch-private.h"

#define FNV_START 1469598103934665603ULL

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 1099511628211ULL;
  return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
  return fnv(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

/* Adds the bytes of the file PATH (none when it cannot be read). */
static uint64_t hash_file(uint64_t h, const char *path)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return h;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    h = fnv(h, buf, (size_t)n);
  close(fd);
  return h;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the shared objects (*.so) of DIR, by name and content, in name
 * order (a directory's order is the file system's). */
static uint64_t hash_modules(uint64_t h, const char *dir)
{
  DIR *d = opendir(dir);
  if (!d)
    return h;
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len > 3 && strcmp(e->d_name + len - 3, ".so") == 0) {
      names = batch_realloc(names, (n + 1) * sizeof *names);
      names[n++] = batch_strdup(e->d_name);
    }
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    char *path = batch_asprintf("%s/%s", dir, names[i]);
    h = hash_file(fnv_str(h, names[i]), path);
    free(path);
    free(names[i]);
  }
  free(names);
  return h;
}

char *batch_build_id(emc_ctx *ctx)
{
  uint64_t h = FNV_START;
  h = hash_file(h, "/proc/self/exe");
  Dl_info info;
  if (dladdr((void *)emc_version, &info) && info.dli_fname)
    h = hash_file(h, info.dli_fname);
  char *path = batch_strdup(emc_ctx_plugin_path(ctx));
  char *save = NULL;
  for (char *dir = strtok_r(path, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
    h = hash_modules(h, dir);
    char *libs = batch_asprintf("%s/.libs", dir); /* a libtool build tree */
    h = hash_modules(h, libs);
    free(libs);
  }
  free(path);
  return batch_asprintf("%s+%016llx", emc_version(), (unsigned long long)h);
}

static uint64_t hash_list(uint64_t h, const char *const *list)
{
  for (; list && *list; list++)
    h = fnv_str(h, *list);
  return fnv_str(h, "\n");
}

uint64_t batch_settings_hash(const emc_job *template, const char *const *plugin_options)
{
  uint64_t h = FNV_START;
  h = fnv_str(h, template->from);
  h = fnv_str(h, template->to);
  h = hash_list(h, template->filters);
  h = hash_list(h, template->no_filters);
  h = hash_list(h, template->commands);
  h = hash_list(h, template->metadata);
  h = hash_list(h, plugin_options);
  h = fnv_str(h, emc_default_filters());
  return fnv(h, &template->validate_ir, sizeof template->validate_ir);
}

/* DIR/.emuconv/NAME.EXT.stamp for OUTPUT = DIR/NAME.EXT. */
static char *stamp_path(const char *output)
{
  const char *slash = strrchr(output, '/');
  if (!slash)
    return batch_asprintf(".emuconv/%s.stamp", output);
  return batch_asprintf("%.*s/.emuconv/%s.stamp", (int)(slash - output), output, slash + 1);
}

/* What the stamp of IT says when B's run writes it. */
static char *stamp_text(const struct batch *b, const struct item *it)
{
  char row[24] = "-";
  if (it->catalogue)
    snprintf(row, sizeof row, "%016llx", (unsigned long long)it->catalogue_hash);
  return batch_asprintf("emuconv-stamp 1\nbuild %s\nsettings %016llx\ncatalogue-row %s\n",
                        b->build, (unsigned long long)b->settings_hash, row);
}

static int newer(const struct timespec *a, const struct timespec *b)
{
  return a->tv_sec != b->tv_sec ? a->tv_sec > b->tv_sec : a->tv_nsec > b->tv_nsec;
}

int batch_up_to_date(const struct batch *b, const struct item *it)
{
  struct stat in, out;
  if (stat(it->input, &in) != 0 || stat(it->output, &out) != 0 || !S_ISREG(out.st_mode) ||
      newer(&in.st_mtim, &out.st_mtim))
    return 0;
  char *path = stamp_path(it->output);
  FILE *fp = fopen(path, "r");
  free(path);
  if (!fp)
    return 0;
  char have[512];
  size_t n = fread(have, 1, sizeof have - 1, fp);
  fclose(fp);
  have[n] = '\0';
  char *want = stamp_text(b, it);
  int same = strcmp(have, want) == 0;
  free(want);
  return same;
}

void batch_write_stamp(const struct batch *b, const struct item *it)
{
  char *path = stamp_path(it->output);
  char *dir = batch_strdup(path);
  *strrchr(dir, '/') = '\0';
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    free(dir);
    free(path);
    return; /* no stamp: the output is converted again next time */
  }
  free(dir);
  char *tmp = batch_asprintf("%s.XXXXXX", path);
  int fd = mkstemp(tmp);
  char *text = stamp_text(b, it);
  size_t len = strlen(text);
  int ok = fd >= 0 && write(fd, text, len) == (ssize_t)len;
  if (fd >= 0 && close(fd) != 0)
    ok = 0;
  if (fd >= 0 && (!ok || rename(tmp, path) != 0))
    unlink(tmp);
  free(text);
  free(tmp);
  free(path);
}
