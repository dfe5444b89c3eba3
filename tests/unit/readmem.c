/* SPDX-License-Identifier: MIT */
/* readmem.c - emc_read_memory() resolves no relative reference (issue 32):
 * an HTML page read from memory under a bare name must not pick up an
 * image from the process's working directory, while the same page read
 * from its file (emc_read_path) does take the image beside it. */
#include <config.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <emuconv/emuconv.h>
#include <emuconv/ir.h>
#include "../tap.h"

static const char page[] = "<html><head><title>t</title></head><body>"
                           "<p>Text.</p><p><img src=\"pic.png\" alt=\"a picture\"></p>"
                           "</body></html>\n";

static int copy_file(const char *from, const char *to)
{
  FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
  char buf[8192];
  size_t n;
  int bad = !in || !out;
  while (!bad && (n = fread(buf, 1, sizeof buf, in)) > 0)
    bad = fwrite(buf, 1, n, out) != n;
  if (in)
    fclose(in);
  if (out && fclose(out) != 0)
    bad = 1;
  return bad ? -1 : 0;
}

int main(void)
{
  plan(4);
  const char *srcdir = getenv("srcdir");
  char rel[4096], png[PATH_MAX], dir[] = "/tmp/emuconv-readmem.XXXXXX";
  snprintf(rel, sizeof rel, "%s/tests/data/img/python.png", srcdir ? srcdir : ".");
  if (!realpath(rel, png) || !mkdtemp(dir) || chdir(dir) != 0) {
    printf("Bail out! no scratch directory\n");
    return 1;
  }
  FILE *fp = fopen("page.html", "w");
  int ready = fp && fputs(page, fp) >= 0 && fclose(fp) == 0 && copy_file(png, "pic.png") == 0;
  ok(ready, "a page and the image it names, in the working directory");

  emc_ctx *ctx = emc_ctx_new();
  emc_error err = EMC_ERROR_INIT;
  emc_doc *doc = NULL;
  int rc = emc_read_memory(ctx, "page.html", page, sizeof page - 1, "html", &doc, &err);
  ok(rc == EMC_OK, "emc_read_memory reads the page (%s)", err.message ? err.message : "ok");
  is_int((int)(doc ? emc_doc_resource_count(doc) : 99), 0,
         "... and takes no image from the working directory");
  emc_doc_free(doc);
  doc = NULL;
  emc_error_release(&err);

  rc = emc_read_path(ctx, "page.html", "html", &doc, &err);
  is_int((int)(rc == EMC_OK && doc ? emc_doc_resource_count(doc) : 99), 1,
         "emc_read_path of the same page takes the image beside it");
  emc_doc_free(doc);
  emc_error_release(&err);
  emc_ctx_free(ctx);

  unlink("page.html");
  unlink("pic.png");
  if (chdir("/") == 0)
    rmdir(dir);
  return done_testing();
}
