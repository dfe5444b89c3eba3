/* SPDX-License-Identifier: MIT */
/* batch.c - the command line's batch mode: many inputs into one output
 * directory (-O DIR).  This file holds the options, the list of files
 * (their output names, the collisions) and batch_run(), whose phases are
 * named functions; the worker pool is in batch-pool.c, the progress
 * display in batch-progress.c, the JSON report in batch-report.c. */
#include <config.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "batch-private.h"
#include "catalogue.h"

const char *const batch_progname = "emuconv";
#define progname batch_progname
#define xstrdup batch_strdup
#define xrealloc batch_realloc
#define exit_code_for cli_exit_code

double batch_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *batch_strdup(const char *s)
{
  char *d = strdup(s);
  if (!d) {
    fprintf(stderr, "%s: out of memory\n", progname);
    exit(1);
  }
  return d;
}

void *batch_realloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    fprintf(stderr, "%s: out of memory\n", progname);
    exit(1);
  }
  return q;
}

char *batch_asprintf(const char *fmt, ...)
{
  emc_buf buf = EMC_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  int rc = emc_buf_vprintf(&buf, fmt, ap);
  va_end(ap);
  char *s = rc == EMC_OK ? emc_buf_steal(&buf, NULL) : NULL;
  if (!s) {
    fprintf(stderr, "%s: out of memory\n", progname);
    exit(1);
  }
  return s;
}

/* ------------------------------------------------------------ options */

const char *batch_option(struct batch_opts *bo, int c, const char *arg)
{
  switch (c) {
  case 'O': bo->outdir = arg; break;
  case '0': bo->null_separated = 1; break;
  case BATCH_OPT_FILES_FROM: bo->files_from = arg; break;
  case BATCH_OPT_REPORT: bo->report = arg; bo->report_given = 1; break;
  case BATCH_OPT_FAIL_IF_WARNINGS: bo->fail_if_warnings = 1; break;
  case BATCH_OPT_LOG: bo->log = arg; break;
  case BATCH_OPT_CATALOGUE: bo->catalogue = arg; break;
  case BATCH_OPT_CATALOGUE_REQUIRED: bo->catalogue_required = 1; break;
  case BATCH_OPT_SKIP_UP_TO_DATE: bo->skip_up_to_date = 1; break;
  case BATCH_OPT_RESUME: bo->resume = arg; break;
  case 'j': {
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < 1 || v > 1024)
      return "-j/--jobs: expected a number of jobs from 1 to 1024";
    bo->jobs = v;
    bo->jobs_given = 1;
    break;
  }
  case BATCH_OPT_TIMEOUT: {
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || end == arg || *end || !(v >= 0 && v <= 1e7))
      return "--timeout: expected a number of seconds (0: no limit)";
    bo->timeout = v;
    bo->timeout_given = 1;
    break;
  }
  case BATCH_OPT_MEMORY: {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10), mul = 1;
    if (*end == 'k' || *end == 'K')
      mul = 1ULL << 10, end++;
    else if (*end == 'm' || *end == 'M')
      mul = 1ULL << 20, end++;
    else if (*end == 'g' || *end == 'G')
      mul = 1ULL << 30, end++;
    if (errno || end == arg || *end || *arg == '-' || v == 0 || v > SIZE_MAX / mul)
      return "--limit memory=SIZE: expected a size (suffix k, M, G)";
    bo->memory_limit = (size_t)(v * mul);
    break;
  }
  default: return "unknown batch option";
  }
  return NULL;
}

double batch_timeout(const struct batch_opts *bo)
{
  return bo->timeout_given ? bo->timeout : EMC_COMMAND_TIMEOUT_DEFAULT;
}

int batch_limit_memory(size_t bytes)
{
  if (!bytes)
    return 0;
  struct rlimit rl;
  if (getrlimit(RLIMIT_AS, &rl) != 0)
    return -1;
  rlim_t want = (rlim_t)bytes;
  if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max)
    want = rl.rlim_max; /* never above the hard limit */
  rl.rlim_cur = want;
  return setrlimit(RLIMIT_AS, &rl);
}

int batch_wanted(const struct batch_opts *bo, const char **why)
{
  *why = NULL;
  if (bo->outdir)
    return 1;
  if (bo->files_from)
    *why = "--files-from needs -O/--output-dir DIR (batch mode)";
  else if (bo->jobs_given)
    *why = "-j/--jobs needs -O/--output-dir DIR (batch mode)";
  else if (bo->report_given)
    *why = "--report needs -O/--output-dir DIR (batch mode)";
  else if (bo->null_separated)
    *why = "-0/--null needs --files-from";
  else if (bo->skip_up_to_date)
    *why = "--skip-up-to-date needs -O/--output-dir DIR (batch mode)";
  else if (bo->resume)
    *why = "--resume needs -O/--output-dir DIR (batch mode)";
  else if (bo->catalogue_required && !bo->catalogue)
    *why = "--catalogue-required needs --catalogue FILE";
  return 0;
}

/* ------------------------------------------------------------ the items */

static void add_item(struct batch *b, const char *input)
{
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 64;
    b->items = xrealloc(b->items, b->cap * sizeof *b->items);
  }
  struct item *it = &b->items[b->n++];
  memset(it, 0, sizeof *it);
  it->input = xstrdup(input);
  it->in_bytes = it->out_bytes = -1;
}

/* Reads the names in FP (NUL- or newline-separated; empty ones skipped).
 * A newline-separated list is often written on Windows or by hand: its
 * carriage returns and trailing blanks are not part of the names (a NUL-
 * separated list, made by find -print0, is taken exactly). */
static int read_list(struct batch *b, FILE *fp, int delim)
{
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getdelim(&line, &cap, delim, fp)) >= 0) {
    if (len > 0 && line[len - 1] == delim)
      line[--len] = '\0';
    while (delim == '\n' && len > 0 &&
           (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
      line[--len] = '\0';
    if (len > 0)
      add_item(b, line);
  }
  int bad = ferror(fp);
  free(line);
  return bad ? -1 : 0;
}

/* DIR/NAME.EXT for INPUT: its file name, the last extension replaced. */
static char *output_name(const char *dir, const char *input, const char *ext)
{
  size_t len = strlen(input);
  while (len > 1 && input[len - 1] == '/')
    len--;
  const char *base = input;
  for (size_t i = 0; i < len; i++)
    if (input[i] == '/' && i + 1 < len)
      base = input + i + 1;
  size_t blen = (size_t)(input + len - base);
  for (size_t i = blen; i-- > 1;)
    if (base[i] == '.') {
      blen = i;
      break;
    }
  size_t dlen = strlen(dir);
  while (dlen > 1 && dir[dlen - 1] == '/')
    dlen--;
  size_t n = dlen + blen + strlen(ext) + 3;
  char *out = xrealloc(NULL, n);
  snprintf(out, n, "%.*s%s%.*s.%s", (int)dlen, dir, dir[dlen - 1] == '/' ? "" : "/", (int)blen,
           base, ext);
  return out;
}

static struct item *sort_items; /* for cmp_output */
static int cmp_output(const void *a, const void *b)
{
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  int c = strcmp(sort_items[i].output, sort_items[j].output);
  return c ? c : (i > j) - (i < j);
}

/* Two inputs that would write the same output: the first (in input
 * order) is converted, the others fail without touching it. */
static void mark_collisions(struct batch *b)
{
  size_t *order = xrealloc(NULL, b->n * sizeof *order);
  for (size_t i = 0; i < b->n; i++)
    order[i] = i;
  sort_items = b->items;
  qsort(order, b->n, sizeof *order, cmp_output);
  for (size_t k = 1; k < b->n; k++) {
    struct item *first = &b->items[order[k - 1]], *it = &b->items[order[k]];
    if (strcmp(first->output, it->output) != 0)
      continue;
    size_t f = k - 1;
    while (f > 0 && strcmp(b->items[order[f - 1]].output, it->output) == 0)
      f--;
    first = &b->items[order[f]];
#define COLLISION "%s: not converted: its output %s is the output of %s"
#define TWICE "%s: not converted: listed twice"
    size_t n = sizeof COLLISION + strlen(it->input) + strlen(it->output) + strlen(first->input);
    it->error = xrealloc(NULL, n);
    if (strcmp(it->input, first->input) == 0)
      snprintf(it->error, n, TWICE, it->input);
    else
      snprintf(it->error, n, COLLISION, it->input, it->output, first->input);
    it->state = ITEM_FAILED;
    it->exit_status = 1;
  }
  free(order);
}

/* ------------------------------------------------------------ batch_run */

/* mkdir -p DIR: -O a/b creates a too. */
static int make_dirs(const char *dir)
{
  char *path = xstrdup(dir);
  int rc = 0;
  for (char *p = path + 1; *p && rc == 0; p++)
    if (*p == '/') {
      *p = '\0';
      if (mkdir(path, 0777) != 0 && errno != EEXIST)
        rc = -1;
      *p = '/';
    }
  if (rc == 0 && mkdir(path, 0777) != 0 && errno != EEXIST)
    rc = -1;
  free(path);
  return rc;
}

static int prepare_outdir(const char *dir)
{
  struct stat st;
  if (stat(dir, &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return 0;
    cli_message("emuconv: ", "%s: the output directory is not a directory", dir);
    return -1;
  }
  if (errno == ENOENT && make_dirs(dir) == 0)
    return 0;
  cli_message("emuconv: ", "%s: cannot create the output directory: %s", dir, strerror(errno));
  return -1;
}

/* Phase 1: the writer of -t, whose first extension names the outputs.
 * Returns 0, or the exit status after saying why not. */
static int find_writer(emc_ctx *ctx, const emc_job *template, const char **ext)
{
  if (!template->to) {
    fprintf(stderr, "%s: batch mode (-O) needs the output format: -t FORMAT\n"
                    "Try '%s --help' for more information.\n", progname, progname);
    return CLI_EXIT_USAGE;
  }
  const emc_plugin *writer = NULL;
  emc_error err = EMC_ERROR_INIT;
  int rc = emc_registry_find(ctx, template->to, EMC_ROLE_WRITER, &writer, &err);
  if (rc) {
    cli_message("emuconv: ", "%s", err.message ? err.message : emc_strerror(rc));
    emc_error_release(&err);
    return exit_code_for(rc);
  }
  *ext = writer->extensions && writer->extensions[0] ? writer->extensions[0] : writer->name;
  return 0;
}

/* Phase 2: the inputs, from the command line (ARGV) and from --files-from.
 * A bare "-" is refused: read as a list, a document piped in by mistake
 * became one "File name too long" per paragraph; the list on standard
 * input is asked for by name (--files-from -).  Returns 0 or the exit
 * status. */
static int collect_resumed(struct batch *b, const char *path);
static int collect_inputs(struct batch *b, const struct batch_opts *bo, char **argv, int argc,
                          const struct catalogue *cat)
{
  if (cat && argc == 0 && !bo->files_from && !bo->resume) {
    /* no INPUT: the files the catalogue names, in its order */
    for (size_t i = 0; i < cat->n_paths; i++)
      add_item(b, cat->paths[i]);
    return 0;
  }
  if (bo->resume) {
    if (argc > 0 || bo->files_from) {
      fprintf(stderr, "%s: --resume takes its inputs from the report: no INPUT, no --files-from\n"
                      "Try '%s --help' for more information.\n", progname, progname);
      return CLI_EXIT_USAGE;
    }
    return collect_resumed(b, bo->resume);
  }
  for (int i = 0; i < argc; i++)
    if (strcmp(argv[i], "-") == 0) {
      fprintf(stderr, "%s: '-' in batch mode (-O): a batch converts files; to read their "
                      "names from standard input, use --files-from -\n"
                      "Try '%s --help' for more information.\n", progname, progname);
      return CLI_EXIT_USAGE;
    }
  for (int i = 0; i < argc; i++)
    add_item(b, argv[i]);
  const char *lists[1] = { bo->files_from };
  for (int l = 0; l < 1; l++) {
    if (!lists[l])
      continue;
    int from_stdin = strcmp(lists[l], "-") == 0;
    FILE *fp = from_stdin ? stdin : fopen(lists[l], "r");
    if (!fp || read_list(b, fp, bo->null_separated ? '\0' : '\n') != 0) {
      cli_message("emuconv: ", "%s: cannot read the list of inputs: %s",
                  from_stdin ? "standard input" : lists[l], strerror(errno));
      if (fp && !from_stdin)
        fclose(fp);
      return CLI_EXIT_IO;
    }
    if (!from_stdin)
      fclose(fp);
  }
  if (b->n == 0 && argc == 0 && !bo->files_from) {
    fprintf(stderr, "%s: batch mode (-O) needs input files (or --files-from)\n"
                    "Try '%s --help' for more information.\n", progname, progname);
    return CLI_EXIT_USAGE;
  }
  return 0;
}

/* Phase 3: the output directory and every file's output name; two inputs
 * with one output fail at once.  Returns 0 or the exit status. */
static int plan_outputs(struct batch *b, const struct batch_opts *bo, const char *ext)
{
  if (prepare_outdir(bo->outdir) != 0)
    return CLI_EXIT_IO;
  for (size_t i = 0; i < b->n; i++)
    b->items[i].output = output_name(bo->outdir, b->items[i].input, ext);
  mark_collisions(b);
  return 0;
}

/* --resume REPORT: the inputs of that report, in its order; those it
 * says were done (converted, empty, up-to-date, done-before) are kept as
 * they are (status done-before; EARLIER the status in REPORT), the others
 * (not-run, failed) converted.  Returns 0
 * or the exit status after saying why. */
static int collect_resumed(struct batch *b, const char *path)
{
  json_object *report = json_object_from_file(path);
  json_object *files = NULL;
  if (!report) {
    cli_message("emuconv: ", "%s: cannot read the report to resume: %s", path,
                json_util_get_last_err() ? json_util_get_last_err() : "not JSON");
    return CLI_EXIT_IO;
  }
  if (!json_object_object_get_ex(report, "files", &files) ||
      !json_object_is_type(files, json_type_array)) {
    json_object_put(report);
    cli_message("emuconv: ", "%s: not a batch report (--report): no \"files\"", path);
    return CLI_EXIT_USAGE;
  }
  for (size_t k = 0; k < json_object_array_length(files); k++) {
    json_object *f = json_object_array_get_idx(files, k), *input, *status;
    if (!json_object_object_get_ex(f, "input", &input) || !json_object_is_type(input, json_type_string) ||
        !json_object_object_get_ex(f, "status", &status) || !json_object_is_type(status, json_type_string))
      continue;
    const char *st = json_object_get_string(status);
    add_item(b, json_object_get_string(input));
    if (strcmp(st, "converted") == 0 || strcmp(st, "empty") == 0 || strcmp(st, "up-to-date") == 0 ||
        strcmp(st, "done-before") == 0) {
      struct item *it = &b->items[b->n - 1];
      it->earlier = xstrdup(st);
      it->state = ITEM_OK;
    }
  }
  json_object_put(report);
  return 0;
}

/* The catalogue's rows that name no existing file: each a warning
 * (catalogue-no-file) given to FN.  Returns how many. */
static size_t rows_without_file(const struct catalogue *cat,
                                void (*fn)(void *user, const char *code, const char *msg),
                                void *user)
{
  size_t n = 0;
  for (size_t r = 0; r < cat->n; r++)
    if (cat->rows[r].n_files == 0) {
      char *msg = batch_asprintf("%s:%zu: the catalogue's row names no existing file: '%s'",
                                 cat->path, cat->rows[r].line, cat->rows[r].file);
      fn(user, "catalogue-no-file", msg);
      free(msg);
      n++;
    }
  return n;
}

static int load_catalogue(struct catalogue *cat, const char *path)
{
  char *why = NULL;
  if (catalogue_load(cat, path, &why) == 0)
    return 0;
  cli_message("emuconv: ", "%s", why ? why : "out of memory");
  free(why);
  return access(path, R_OK) != 0 ? CLI_EXIT_IO : CLI_EXIT_USAGE;
}

static void batch_catalogue_warning(void *user, const char *code, const char *msg)
{
  struct batch *b = user;
  cli_warnings_add(&b->warnings, BATCH_NO_FILE, code, msg);
  if (b->verbosity >= 1)
    batch_say(b, "%s: warning: %s\n", progname, msg);
}

/* Phase 3b: each input's catalogue row; with --catalogue-required an
 * input with none fails at once (as a collision does). */
static int apply_catalogue(struct batch *b, const struct batch_opts *bo, struct catalogue *cat)
{
  b->catalogue = bo->catalogue;
  b->catalogue_rows = cat->n;
  b->catalogue_rows_without_file = rows_without_file(cat, batch_catalogue_warning, b);
  for (size_t i = 0; i < b->n; i++) {
    struct item *it = &b->items[i];
    const struct catalogue_row *row = catalogue_find(cat, it->input);
    if (row) {
      it->catalogue = (const char *const *)row->kv;
      it->catalogue_hash = row->hash;
    } else if (bo->catalogue_required && it->state == ITEM_PENDING) {
      it->error = batch_asprintf("%s: not converted: no row in the catalogue %s "
                                 "(--catalogue-required)", it->input, bo->catalogue);
      it->state = ITEM_FAILED;
      it->exit_status = CLI_EXIT_CONVERSION;
    }
  }
  return 0;
}

/* Phase 3c: --skip-up-to-date keeps the outputs that are. */
static void keep_up_to_date(struct batch *b)
{
  for (size_t i = 0; i < b->n; i++) {
    struct item *it = &b->items[i];
    if (it->state == ITEM_PENDING && batch_up_to_date(b, it)) {
      struct stat st;
      it->state = ITEM_OK;
      it->up_to_date = 1;
      it->in_bytes = stat(it->input, &st) == 0 ? (long long)st.st_size : -1;
      it->out_bytes = stat(it->output, &st) == 0 ? (long long)st.st_size : -1;
    }
  }
}

int batch_catalogue_open(const struct batch_opts *bo, struct catalogue *cat, emc_warning_fn warn,
                         void *user)
{
  int status = load_catalogue(cat, bo->catalogue);
  if (status)
    return status;
  size_t missing = rows_without_file(cat, warn, user);
  if (missing && bo->catalogue_required) {
    cli_message("emuconv: ", "%s: %zu rows name no existing file (--catalogue-required)",
                bo->catalogue, missing);
    return CLI_EXIT_CONVERSION;
  }
  return 0;
}

int batch_single_catalogue(const struct batch_opts *bo, const char *input, emc_job *job,
                           struct catalogue *cat, emc_warning_fn warn, void *user)
{
  int status = batch_catalogue_open(bo, cat, warn, user);
  if (status)
    return status;
  const struct catalogue_row *row = strcmp(input, "-") != 0 ? catalogue_find(cat, input) : NULL;
  if (row)
    job->catalogue = (const char *const *)row->kv;
  else if (bo->catalogue_required) {
    cli_message("emuconv: ", "%s: not converted: no row in the catalogue %s "
                "(--catalogue-required)", strcmp(input, "-") ? input : "standard input",
                bo->catalogue);
    return CLI_EXIT_CONVERSION;
  }
  return 0;
}

static const char *item_name(const void *data, size_t i);

/* Phase 5: after the pool: the report, the summary line, the status; or,
 * when STOP_SIGNAL ended the batch, the interruption's line and death by
 * that signal. */
static int finish(const struct batch *b, const struct batch_opts *bo, const char *to, long jobs,
                  double wall, int stop_signal)
{
  if (stop_signal) {
    fprintf(stderr, "%s: interrupted: %zu of %zu converted\n", progname, b->done - b->failed,
            b->n);
    /* what was done is known: the report says it, the rest "not-run" */
    if (bo->report)
      batch_write_report(b, bo, to, jobs, wall);
    if (bo->log)
      batch_write_log(bo->log, &b->warnings, b->n, item_name, b);
    signal(stop_signal, SIG_DFL);
    raise(stop_signal);
    return 128 + stop_signal;
  }
  int status = b->failed ? CLI_EXIT_CONVERSION : CLI_EXIT_OK;
  if (bo->catalogue_required && b->catalogue_rows_without_file > 0) {
    fprintf(stderr, "%s: %zu rows of the catalogue name no existing file (--catalogue-required)\n",
            progname, b->catalogue_rows_without_file);
    status = CLI_EXIT_CONVERSION;
  }
  if (bo->fail_if_warnings && b->warnings.n > 0 && status == CLI_EXIT_OK)
    status = CLI_EXIT_CONVERSION;
  if (bo->report && batch_write_report(b, bo, to, jobs, wall) != 0)
    status = CLI_EXIT_IO;
  if (bo->log && batch_write_log(bo->log, &b->warnings, b->n, item_name, b) != 0)
    status = CLI_EXIT_IO;
  if (b->verbosity >= 1) {
    size_t kept = 0, earlier = 0;
    for (size_t i = 0; i < b->n; i++) {
      kept += b->items[i].up_to_date;
      earlier += b->items[i].earlier != NULL;
    }
    char more[96] = "";
    if (kept)
      snprintf(more, sizeof more, ", %zu up to date", kept);
    if (earlier)
      snprintf(more + strlen(more), sizeof more - strlen(more), ", %zu done before", earlier);
    fprintf(stderr, "%s: %zu converted%s, %zu failed, %.1f s\n", progname,
            b->n - b->failed - kept - earlier, more, b->failed, wall);
    if (b->warnings.n > 0) {
      char *summary = cli_warnings_summary(&b->warnings, NULL);
      fprintf(stderr, "%s: warnings: %s\n", progname, summary);
      free(summary);
    }
  }
  return status;
}

static const char *item_name(const void *data, size_t i)
{
  return ((const struct batch *)data)->items[i].input;
}

static void free_items(struct batch *b)
{
  cli_warnings_release(&b->warnings);
  for (size_t i = 0; i < b->n; i++) {
    free(b->items[i].input);
    free(b->items[i].output);
    free(b->items[i].error);
    free(b->items[i].earlier);
  }
  free(b->build);
  free(b->items);
  b->items = NULL;
  b->n = b->cap = 0;
}

int batch_run(emc_ctx *ctx, const emc_job *template, const struct batch_opts *bo, char **argv,
              int argc, int verbosity, emc_log_fn log_fn)
{
  struct batch b;
  memset(&b, 0, sizeof b);
  b.verbosity = verbosity;
  b.timeout = batch_timeout(bo);
  b.memory_limit = bo->memory_limit;
  const char *ext = NULL;
  int status = find_writer(ctx, template, &ext);
  if (status)
    return status;
  /* The other modules are loaded by each worker when its first file
   * needs them, once for all the files it converts. */
  emc_ctx_set_log_handler(ctx, log_fn, NULL);
  struct catalogue cat;
  memset(&cat, 0, sizeof cat);
  if (bo->skip_up_to_date || bo->report) {
    b.build = batch_build_id(ctx);
    b.settings_hash = batch_settings_hash(template, bo->plugin_options);
    b.stamps = bo->skip_up_to_date;
  }
  if ((!bo->catalogue || (status = load_catalogue(&cat, bo->catalogue)) == 0) &&
      (status = collect_inputs(&b, bo, argv, argc, bo->catalogue ? &cat : NULL)) == 0 &&
      (status = plan_outputs(&b, bo, ext)) == 0 &&
      (!bo->catalogue || (status = apply_catalogue(&b, bo, &cat)) == 0)) {
    if (b.stamps)
      keep_up_to_date(&b);
    long jobs = bo->jobs;
    if (jobs <= 0) {
      jobs = sysconf(_SC_NPROCESSORS_ONLN);
      if (jobs < 1)
        jobs = 1;
    }
    b.bar = verbosity >= 1 && isatty(STDERR_FILENO);
    b.start = batch_now();
    int stop_signal = batch_pool_run(&b, ctx, template, jobs); /* phase 4 */
    status = finish(&b, bo, template->to, jobs, batch_now() - b.start, stop_signal);
  }
  free_items(&b);
  catalogue_release(&cat);
  return status;
}
