/* SPDX-License-Identifier: MIT */
/* batch-private.h - what the files of batch mode share: the list of files
 * (struct item, struct batch, owned by batch.c's batch_run), the worker
 * pool (batch-pool.c), the progress display (batch-progress.c) and the
 * JSON report (batch-report.c).  Internal to the emuconv program. */
#ifndef EMUCONV_BATCH_PRIVATE_H
#define EMUCONV_BATCH_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "batch.h"
#include "cli.h"

extern const char *const batch_progname; /* "emuconv", for messages */

enum { ITEM_PENDING, ITEM_RUNNING, ITEM_OK, ITEM_FAILED };

struct item {
  char *input, *output; /* owned */
  int state;
  int exit_status;      /* what a single conversion would have returned */
  int signal;           /* the worker died of this signal */
  char *error;          /* the one-line error, without "emuconv: " */
  double wall, user, sys;
  long long in_bytes, out_bytes; /* -1: unknown */
  const char *const *catalogue;  /* its catalogue row's "key=value", borrowed */
  uint64_t catalogue_hash;       /* of that row (batch-stamp.c) */
  int up_to_date;                /* --skip-up-to-date kept its output */
  char *earlier;                 /* --resume: its status in that report, when
                                    done there (not converted again) */
};

struct batch {
  struct item *items;
  size_t n, cap;
  size_t done, failed;
  double start;
  int bar;              /* draw the progress bar */
  int bar_drawn;
  double last_draw;
  int verbosity;
  double timeout;       /* --timeout: seconds per file, 0 for none */
  size_t memory_limit;  /* --limit memory=: bytes of address space, 0 for none */
  cli_warnings warnings; /* every file's, file_index the item's; the
                            catalogue's own (rows naming no file) have
                            BATCH_NO_FILE */
  char *build;          /* batch_build_id(), when stamps or a report need it */
  uint64_t settings_hash; /* batch_settings_hash() */
  int stamps;           /* --skip-up-to-date: stamps are read and written */
  const char *catalogue; /* --catalogue FILE, for the report */
  size_t catalogue_rows, catalogue_rows_without_file;
};

#define BATCH_NO_FILE SIZE_MAX

/* batch-stamp.c: --skip-up-to-date.  The build's id: "VERSION+HASH", the
 * hash of the program's, the library's and the plugins' bytes (new
 * string).  The hash of the settings that shape an output (TEMPLATE's
 * formats, filters, commands, metadata; PLUGIN_OPTIONS "name=value").
 * Whether IT's output is up to date (not older than its input, its stamp
 * the one B would write); writing that stamp once IT is converted (no
 * stamp when it cannot be written: the file is converted again). */
char *batch_build_id(emc_ctx *ctx);
uint64_t batch_settings_hash(const emc_job *template, const char *const *plugin_options);
int batch_up_to_date(const struct batch *b, const struct item *it);
void batch_write_stamp(const struct batch *b, const struct item *it);

/* Seconds on the monotonic clock. */
double batch_now(void);

/* Out of memory in the program's own bookkeeping: message and exit(1). */
char *batch_strdup(const char *s);
void *batch_realloc(void *p, size_t n);
/* printf into a new string; exits when out of memory. */
char *batch_asprintf(const char *fmt, ...) EMC_PRINTF(1, 2);

/* batch-progress.c: the bar (when B->bar), and message lines around it. */
void batch_draw_bar(struct batch *b, double t);
void batch_say(struct batch *b, const char *fmt, ...) EMC_PRINTF(2, 3);
void batch_clear_bar(struct batch *b);

/* batch-pool.c: converts every pending item of B with JOBS worker
 * processes (forked from this one) doing TEMPLATE's conversion.  Returns
 * 0, or the signal (SIGINT, SIGTERM, SIGHUP) that stopped the batch, the
 * workers then killed and reaped. */
int batch_pool_run(struct batch *b, emc_ctx *ctx, const emc_job *template, long jobs);

/* Records that IT failed (ERROR: its one-line error, taken; NULL: the
 * input's name) and says so. */
void batch_item_failed(struct batch *b, struct item *it, int exit_status, char *error);

/* batch-report.c: writes the JSON report to BO->report ("-": stdout),
 * atomically.  Returns 0, or -1 after saying why. */
/* Whether item I had a warning of CODE. */
int batch_item_has_warning(const struct batch *b, size_t i, const char *code);
int batch_write_report(const struct batch *b, const struct batch_opts *bo, const char *to,
                       long jobs, double wall);

#endif
