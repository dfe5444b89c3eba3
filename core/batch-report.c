/* SPDX-License-Identifier: MIT */
/* batch-report.c - batch mode's JSON report (--report FILE): per file its
 * status, error, sizes and timings, written atomically when the batch
 * ends.  The format is documented in doc/batch.md.  Built whole in memory
 * by the program's one JSON writer (cli.h), then written once. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "batch-private.h"


static void report_json(cli_json *j, const struct batch *b, const struct batch_opts *bo,
                        const char *to, long jobs, double wall)
{
  cli_json_raw(j, "{\n  \"emuconv\": ");
  cli_json_string(j, emc_version());
  cli_json_raw(j, ",\n  \"to\": ");
  cli_json_string(j, to);
  cli_json_raw(j, ",\n  \"output_dir\": ");
  cli_json_string(j, bo->outdir);
  cli_json_raw(j, ",\n  \"build\": ");
  cli_json_string(j, b->build);
  if (b->catalogue) {
    cli_json_raw(j, ",\n  \"catalogue\": {\"file\": ");
    cli_json_string(j, b->catalogue);
    cli_json_printf(j, ", \"rows\": %zu, \"rows_without_file\": [", b->catalogue_rows);
    int first = 1;
    for (size_t k = 0; k < b->warnings.n; k++)
      if (b->warnings.v[k].file_index == BATCH_NO_FILE) {
        cli_json_raw(j, first ? "" : ", ");
        cli_json_string(j, b->warnings.v[k].message);
        first = 0;
      }
    cli_json_raw(j, "]}");
  }
  size_t converted = 0, not_run = 0, up_to_date = 0, earlier = 0;
  for (size_t i = 0; i < b->n; i++) {
    up_to_date += b->items[i].up_to_date;
    earlier += b->items[i].earlier != NULL;
    converted += b->items[i].state == ITEM_OK && !b->items[i].up_to_date && !b->items[i].earlier;
    not_run += b->items[i].state == ITEM_PENDING || b->items[i].state == ITEM_RUNNING;
  }
  cli_json_printf(j, ",\n  \"jobs\": %ld,\n  \"total\": %zu,\n  \"converted\": %zu,\n"
                     "  \"failed\": %zu,\n  \"not_run\": %zu,\n  \"up_to_date\": %zu,\n"
                     "  \"done_before\": %zu,\n  \"wall_seconds\": %.6f,\n  \"files\": [",
                  jobs, b->n, converted, b->failed, not_run, up_to_date, earlier, wall);
  for (size_t i = 0; i < b->n; i++) {
    const struct item *it = &b->items[i];
    cli_json_printf(j, "%s\n    {\"input\": ", i ? "," : "");
    cli_json_string(j, it->input);
    cli_json_raw(j, ", \"output\": ");
    cli_json_string(j, it->state == ITEM_OK ? it->output : NULL);
    cli_json_printf(j, ", \"status\": \"%s\", \"exit_status\": %d, \"error\": ",
                    it->state == ITEM_PENDING || it->state == ITEM_RUNNING ? "not-run"
                    : it->state != ITEM_OK                         ? "failed"
                    : it->earlier                                  ? "done-before"
                    : it->up_to_date                               ? "up-to-date"
                    : batch_item_has_warning(b, i, "empty-input") ? "empty"
                                                                  : "converted",
                    it->exit_status);
    cli_json_string(j, it->error);
    cli_json_raw(j, ", \"signal\": ");
    if (it->signal)
      cli_json_printf(j, "%d", it->signal);
    else
      cli_json_raw(j, "null");
    cli_json_raw(j, ", \"input_bytes\": ");
    cli_json_size(j, it->in_bytes);
    cli_json_raw(j, ", \"output_bytes\": ");
    cli_json_size(j, it->out_bytes);
    cli_json_printf(j, ", \"wall_seconds\": %.6f, \"user_seconds\": %.6f, "
                       "\"system_seconds\": %.6f",
                    it->wall, it->user, it->sys);
    cli_json_raw(j, ",\n     \"warnings\": [");
    int first = 1;
    for (size_t k = 0; k < b->warnings.n; k++) {
      const cli_warning *w = &b->warnings.v[k];
      if (w->file_index != i)
        continue;
      cli_json_raw(j, first ? "{\"code\": " : ", {\"code\": ");
      cli_json_string(j, w->code);
      cli_json_raw(j, ", \"message\": ");
      cli_json_string(j, w->message);
      cli_json_raw(j, "}");
      first = 0;
    }
    cli_json_raw(j, "]}");
  }
  /* the summary by code, for the audit of a whole corpus */
  cli_json_raw(j, "\n  ],\n  \"warnings\": {");
  cli_warnings_summary(&b->warnings, j);
  cli_json_raw(j, "}\n}\n");
}

int batch_item_has_warning(const struct batch *b, size_t i, const char *code)
{
  for (size_t k = 0; k < b->warnings.n; k++)
    if (b->warnings.v[k].file_index == i && strcmp(b->warnings.v[k].code, code) == 0)
      return 1;
  return 0;
}

int batch_write_log(const char *path, const cli_warnings *w, size_t n_files,
                    const char *(*name_of)(const void *data, size_t i), const void *data)
{
  cli_json j = CLI_JSON_INIT;
  for (size_t i = 0; i < n_files; i++)
    cli_warnings_log(w, i, name_of(data, i), &j);
  FILE *fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
  if (!fp) {
    cli_json_release(&j);
    cli_message("emuconv: ", "%s: cannot write the log: %s", path, strerror(errno));
    return -1;
  }
  int rc = cli_json_flush(&j, fp);
  int e = rc == EMC_ENOMEM ? ENOMEM : errno;
  if (fp != stdout && fclose(fp) != 0 && rc == EMC_OK) {
    rc = EMC_EIO;
    e = errno;
  }
  if (rc != EMC_OK) {
    cli_message("emuconv: ", "%s: cannot write the log: %s", path, strerror(e));
    return -1;
  }
  return 0;
}

static int report_failed(const char *path, int e)
{
  cli_message("emuconv: ", "%s: cannot write the report: %s", path, strerror(e));
  return -1;
}

int batch_write_report(const struct batch *b, const struct batch_opts *bo, const char *to,
                       long jobs, double wall)
{
  const char *path = bo->report;
  cli_json j = CLI_JSON_INIT;
  report_json(&j, b, bo, to, jobs, wall);
  if (strcmp(path, "-") == 0) {
    int rc = cli_json_flush(&j, stdout);
    return rc == EMC_OK ? 0 : report_failed("standard output", rc == EMC_ENOMEM ? ENOMEM : EIO);
  }
  /* Atomically: a temporary file renamed into place. */
  char *tmp = batch_asprintf("%s.XXXXXX", path);
  int fd = mkstemp(tmp);
  FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!fp) {
    int e = errno;
    if (fd >= 0) {
      close(fd);
      unlink(tmp);
    }
    free(tmp);
    cli_json_release(&j);
    return report_failed(path, e);
  }
  mode_t mask = umask(0);
  umask(mask);
  (void)fchmod(fd, 0666 & ~mask);
  int rc = cli_json_flush(&j, fp);
  int e = rc == EMC_ENOMEM ? ENOMEM : errno;
  if (fclose(fp) != 0 && rc == EMC_OK) {
    rc = EMC_EIO;
    e = errno;
  }
  if (rc == EMC_OK && rename(tmp, path) != 0) {
    rc = EMC_EIO;
    e = errno;
  }
  if (rc != EMC_OK)
    unlink(tmp);
  free(tmp);
  return rc == EMC_OK ? 0 : report_failed(path, e);
}
