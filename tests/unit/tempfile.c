/* SPDX-License-Identifier: MIT */
/* tempfile.c - the registry of temporary outputs with several contexts in
 * several threads: every write lands, no temporary file is left, nothing
 * stays registered, and removing "every registered file" when none is
 * registered is harmless. */
#include <config.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <emuconv/emuconv.h>
#include "../tap.h"

enum { THREADS = 4, WRITES = 50 };

static char dir[] = "/tmp/emuconv-tempfile.XXXXXX";
static const char text[] = "A title\n\nOne paragraph.\n\nAnother one.\n";

struct job {
  int id, failures;
};

static void *writer(void *arg)
{
  struct job *j = arg;
  emc_ctx *ctx = emc_ctx_new(); /* one context per thread */
  emc_doc *doc = NULL;
  emc_error err = EMC_ERROR_INIT;
  if (!ctx || emc_read_memory(ctx, "t.txt", text, sizeof text - 1, "txt", &doc, &err) != EMC_OK) {
    j->failures = WRITES;
    emc_ctx_free(ctx);
    return NULL;
  }
  for (int i = 0; i < WRITES; i++) {
    char path[256];
    snprintf(path, sizeof path, "%s/out-%d-%d.ir", dir, j->id, i % 5);
    if (emc_write_path(ctx, doc, path, "ir", NULL, &err) != EMC_OK) {
      printf("# %s: %s\n", path, err.message ? err.message : "?");
      j->failures++;
    }
    emc_error_release(&err);
  }
  emc_doc_free(doc);
  emc_ctx_free(ctx);
  return NULL;
}

int main(void)
{
  plan(4);
  if (!mkdtemp(dir)) {
    printf("Bail out! no scratch directory\n");
    return 1;
  }
  emc_temp_files_remove(); /* nothing registered yet: a no-op */
  pthread_t t[THREADS];
  struct job jobs[THREADS];
  for (int i = 0; i < THREADS; i++) {
    jobs[i].id = i;
    jobs[i].failures = 0;
    pthread_create(&t[i], NULL, writer, &jobs[i]);
  }
  int failures = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(t[i], NULL);
    failures += jobs[i].failures;
  }
  is_int(failures, 0, "%d threads x %d writes through their own contexts", THREADS, WRITES);
  int outputs = 0, temps = 0;
  DIR *d = opendir(dir);
  for (struct dirent *e; d && (e = readdir(d));) {
    if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
      continue;
    if (e->d_name[0] == '.')
      temps++;
    else
      outputs++;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  if (d)
    closedir(d);
  rmdir(dir);
  is_int(outputs, THREADS * 5, "every output is in place");
  is_int(temps, 0, "no temporary file is left");
  ok(emc_pending_temp_path() == NULL, "nothing stays registered");
  return done_testing();
}
