/* SPDX-License-Identifier: MIT */
/* batch.h - the command line's batch mode and progress displays (batch.c).
 * Internal to the emuconv program; never installed. */
#ifndef EMUCONV_BATCH_H
#define EMUCONV_BATCH_H

#include <emuconv/emuconv.h>

/* Option codes of the long options that have no short form (between the
 * core's OPT_* and the plugins' OPT_PLUGIN_BASE). */
enum { BATCH_OPT_FILES_FROM = 900, BATCH_OPT_REPORT, BATCH_OPT_TIMEOUT, BATCH_OPT_MEMORY,
       BATCH_OPT_FAIL_IF_WARNINGS, BATCH_OPT_LOG, BATCH_OPT_CATALOGUE,
       BATCH_OPT_CATALOGUE_REQUIRED, BATCH_OPT_SKIP_UP_TO_DATE, BATCH_OPT_RESUME };

/* The cases of the options batch_option() takes, for the CLI's switch;
 * BATCH_OPT_MEMORY comes from --limit memory=SIZE. */
#define BATCH_OPTION_CASES \
  case 'O': case 'j': case '0': case BATCH_OPT_FILES_FROM: case BATCH_OPT_REPORT: \
  case BATCH_OPT_TIMEOUT: case BATCH_OPT_MEMORY: case BATCH_OPT_FAIL_IF_WARNINGS: \
  case BATCH_OPT_LOG: case BATCH_OPT_CATALOGUE: case BATCH_OPT_CATALOGUE_REQUIRED: \
  case BATCH_OPT_SKIP_UP_TO_DATE: case BATCH_OPT_RESUME

#define BATCH_SHORT_OPTIONS "O:j:0"
#define BATCH_LONG_OPTIONS                                        \
  { "output-dir", required_argument, NULL, 'O' },                 \
  { "jobs", required_argument, NULL, 'j' },                       \
  { "files-from", required_argument, NULL, BATCH_OPT_FILES_FROM },\
  { "null", no_argument, NULL, '0' },                             \
  { "report", required_argument, NULL, BATCH_OPT_REPORT },       \
  { "timeout", required_argument, NULL, BATCH_OPT_TIMEOUT },     \
  { "fail-if-warnings", no_argument, NULL, BATCH_OPT_FAIL_IF_WARNINGS }, \
  { "log", required_argument, NULL, BATCH_OPT_LOG },                \
  { "catalogue", required_argument, NULL, BATCH_OPT_CATALOGUE },    \
  { "catalogue-required", no_argument, NULL, BATCH_OPT_CATALOGUE_REQUIRED }, \
  { "skip-up-to-date", no_argument, NULL, BATCH_OPT_SKIP_UP_TO_DATE }, \
  { "resume", required_argument, NULL, BATCH_OPT_RESUME },
#define BATCH_USAGE                                                               \
"  -O, --output-dir=DIR     batch mode: convert every INPUT (any number) into\n"  \
"                           DIR/NAME.EXT, NAME the input's file name without\n"  \
"                           its extension, EXT the -t format's (needs -t)\n"      \
"  -j, --jobs=N             batch mode: N conversions at a time (default: the\n" \
"                           number of online CPUs)\n"                             \
"      --files-from=FILE    batch mode: read more INPUT names from FILE, one a\n" \
"                           line ('-': standard input; a bare INPUT '-' is\n"    \
"                           refused in batch mode)\n"                             \
"  -0, --null               --files-from names end with NUL, not newline\n"      \
"      --report=FILE        batch mode: write per-file status, errors, sizes,\n" \
"                           timings and warnings (with their codes) to FILE\n" \
"                           as JSON ('-': stdout); written when interrupted\n"  \
"      --timeout=SECONDS    kill a --filter command, and in batch mode a\n"   \
"                           file's conversion, that runs longer (default\n"   \
"                           300; 0: no limit)\n"                              \
"      --fail-if-warnings   exit 1 when there was a warning (batch mode: in\n" \
"                           any file), though the outputs are written\n"     \
"      --log=FILE           write the warnings as JSON lines to FILE\n"      \
"                           ({\"file\":...,\"code\":...,\"message\":...})\n" \
"      --catalogue=FILE     each INPUT's metadata from its row in FILE (CSV\n" \
"                           with a header row, or JSON lines): a column\n"     \
"                           'file' (relative to FILE's directory, or a glob),\n" \
"                           the others -M keys (lists: ';' or repeated)\n"   \
"      --catalogue-required an INPUT with no row, or a row naming no file,\n" \
"                           is an error (else a row naming no file is a\n"   \
"                           warning)\n"                                       \
"      --skip-up-to-date    batch mode: keep an output not older than its\n"  \
"                           input, written by this build with the same\n"    \
"                           settings and catalogue row (DIR/.emuconv/ holds\n" \
"                           the stamps); status up-to-date\n"                \
"      --resume=REPORT      batch mode: convert the inputs that REPORT (an\n" \
"                           interrupted or failed batch's) says were not\n"  \
"                           converted (not-run, failed)\n"

struct batch_opts {
  const char *outdir;     /* -O: batch mode when set */
  double timeout;         /* --timeout: seconds, when timeout_given */
  size_t memory_limit;    /* --limit memory=SIZE: bytes; 0: none */
  int timeout_given;
  const char *files_from; /* --files-from */
  const char *report;     /* --report */
  long jobs;              /* -j; 0: one per online CPU */
  int null_separated;     /* -0 */
  int jobs_given, report_given;
  int fail_if_warnings;   /* --fail-if-warnings (single and batch mode) */
  const char *log;        /* --log FILE (single and batch mode) */
  const char *catalogue;  /* --catalogue FILE (single and batch mode) */
  int catalogue_required; /* --catalogue-required */
  int skip_up_to_date;    /* --skip-up-to-date */
  const char *resume;     /* --resume REPORT */
  const char *const *plugin_options; /* "name=value": what the stamps hash */
};

/* Records option C (one of the batch ones; ARG its argument).  Returns
 * NULL, or a usage problem (static string) when ARG is not acceptable. */
const char *batch_option(struct batch_opts *bo, int c, const char *arg);

/* The --timeout in force: the one given, else the default (300 s). */
double batch_timeout(const struct batch_opts *bo);

/* Applies --limit memory= to this process (RLIMIT_AS).  Returns 0, or -1
 * with errno set. */
int batch_limit_memory(size_t bytes);

/* True when the command line asked for batch mode; *WHY is set to a usage
 * problem when batch options were given without -O. */
int batch_wanted(const struct batch_opts *bo, const char **why);
/* --log FILE: writes the JSON lines of W's warnings, file index I named
 * NAMES[I] (NAMES NULL: index 0 named NAME).  Returns 0, or -1 after
 * saying why. */
struct cli_warnings;
int batch_write_log(const char *path, const struct cli_warnings *w, size_t n_files,
                    const char *(*name_of)(const void *data, size_t i), const void *data);

/* --catalogue in a single conversion: the row of INPUT for *JOB (its
 * catalogue member, pointing into *CAT, which the caller releases with
 * catalogue_release()), the rows naming no file given to WARN (with the
 * code catalogue-no-file).  Returns 0, or the exit status after saying
 * why (the catalogue unreadable; --catalogue-required and no row). */
struct catalogue;
/* The catalogue loaded into *CAT and its rows naming no file warned of
 * (and an error with --catalogue-required), for a collection. */
int batch_catalogue_open(const struct batch_opts *bo, struct catalogue *cat, emc_warning_fn warn,
                         void *user);
int batch_single_catalogue(const struct batch_opts *bo, const char *input, emc_job *job,
                           struct catalogue *cat, emc_warning_fn warn, void *user);

/* Runs batch mode: the inputs ARGV[0..ARGC-1] plus those of --files-from,
 * each converted as TEMPLATE says (input and output replaced) by one of
 * the worker processes.  VERBOSITY as the CLI's.  Returns the exit status. */
int batch_run(emc_ctx *ctx, const emc_job *template, const struct batch_opts *bo,
              char **argv, int argc, int verbosity, emc_log_fn log_fn);

/* A single conversion's progress line on stderr, when stderr is a
 * terminal and the conversion lasts over a second: the phase and the
 * elapsed time, from a timer thread; cleared by progress_stop().  Routes
 * the context's log messages through LOG_FN around the line. */
struct progress;
struct progress *progress_start(emc_ctx *ctx, const char *input, int verbosity, emc_log_fn log_fn);
void progress_stop(struct progress *p);

#endif
