/* SPDX-License-Identifier: MIT */
/* emuconv/emuconv.h - the library API: a context with its plugin registry,
 * and conversions.  Include this one header; it brings the others.
 *
 * Ownership in one line: functions named _new return objects the caller
 * frees with the matching _free; const pointers returned by the registry
 * are borrowed and live until emc_ctx_free().
 */
#ifndef EMUCONV_EMUCONV_H
#define EMUCONV_EMUCONV_H

#include <stddef.h>
#include <emuconv/error.h>
#include <emuconv/buf.h>
#include <emuconv/io.h>
#include <emuconv/ir.h>
#include <emuconv/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- context ---- */

/* A context: plugin search path, loaded modules, options, limits, logger.
 * The path starts as $EMUCONV_PLUGIN_PATH (':'-separated) followed by the
 * installed plugin directories.  Not thread-safe: one context per thread,
 * and libltdl calls are serialised inside the library.
 * Returns: (transfer full) free with emc_ctx_free(); NULL on ENOMEM. */
emc_ctx *emc_ctx_new(void);
/* Frees the context and closes every module it loaded.  NULL is a no-op. */
void emc_ctx_free(emc_ctx *ctx);

/* Sets option NAME to VALUE (both copied; VALUE NULL unsets). */
int emc_ctx_set_option(emc_ctx *ctx, const char *name, const char *value);

typedef void (*emc_log_fn)(void *user, int level, const char *message);
/* Routes emc_ctx_log() messages to FN (NULL: they are dropped). */
void emc_ctx_set_log_handler(emc_ctx *ctx, emc_log_fn fn, void *user);

/* Every warning (emc_ctx_warn(), emc_ctx_note(), and emc_ctx_log() at
 * EMC_LOG_WARN with the code "other") is also given to FN with its stable CODE, whatever the log
 * handler shows: this is what a program records to audit a conversion
 * (batch reports, --log, --fail-if-warnings).  The log handler still
 * displays it; FN only observes.  NULL: not observed. */
typedef void (*emc_warning_fn)(void *user, const char *code, const char *message);
void emc_ctx_set_warning_handler(emc_ctx *ctx, emc_warning_fn fn, void *user);

/* Progress of emc_convert(): FN is called, in the converting thread, as
 * the conversion enters each phase: PHASE is "reading" (DETAIL: the input
 * path), "filtering" (DETAIL: the filter's name or command) or "writing"
 * (DETAIL: the output path).  NULL: no calls.  For progress displays. */
typedef void (*emc_progress_fn)(void *user, const char *phase, const char *detail);
void emc_ctx_set_progress_handler(emc_ctx *ctx, emc_progress_fn fn, void *user);

/* Replaces the limits (copied). */
void emc_ctx_set_limits(emc_ctx *ctx, const emc_limits *limits);

/* The longest an external filter (emc_filter_run_command()) may run, in
 * seconds; it is then killed and the filter fails.  0: no limit.  The
 * default is EMC_COMMAND_TIMEOUT_DEFAULT. */
#define EMC_COMMAND_TIMEOUT_DEFAULT 300.0
void emc_ctx_set_command_timeout(emc_ctx *ctx, double seconds);

/* Puts DIR (copied) in front of the plugin search path. */
int emc_ctx_prepend_plugin_dir(emc_ctx *ctx, const char *dir);
/* Returns: (transfer none) the search path, ':'-separated. */
const char *emc_ctx_plugin_path(const emc_ctx *ctx);

/* ---- registry ---- */

enum emc_role {
  EMC_ROLE_READER = 1u,
  EMC_ROLE_WRITER = 2u,
  EMC_ROLE_FILTER = 4u
};

/* The roles (EMC_ROLE_* bits) a descriptor has. */
unsigned emc_plugin_roles(const emc_plugin *p);

/* Opens every module on the search path.  Modules that are not emuconv
 * plugins are skipped silently (logged at DEBUG); plugins that fail
 * validation (wrong ABI, bad name...) are skipped with a WARN log.
 * Returns EMC_OK even when nothing was found. */
int emc_registry_scan(emc_ctx *ctx, emc_error *err);

/* The modules loaded so far, in load order. */
size_t emc_registry_count(const emc_ctx *ctx);
/* Returns: (transfer none) the I-th plugin, with the file it was loaded
 * from in *PATH (if PATH is non-NULL); NULL past the end. */
const emc_plugin *emc_registry_at(const emc_ctx *ctx, size_t i,
                                  const char **path);

/* The plugin called NAME having ROLE, opening only that module when it is
 * not loaded yet.  EMC_EFORMAT when there is none. */
int emc_registry_find(emc_ctx *ctx, const char *name, unsigned role,
                      const emc_plugin **out, emc_error *err);

/* The plugin having ROLE whose extension list has the longest suffix of
 * FILENAME ("x.ir.xml" matches "ir.xml" before "xml").  Tries the module
 * named after the extension first and scans only if that fails.
 * EMC_EFORMAT when no plugin claims it. */
int emc_registry_find_by_extension(emc_ctx *ctx, const char *filename,
                                   unsigned role, const emc_plugin **out,
                                   emc_error *err);

/* The reader whose probe gives HEAD the highest confidence (> 0); ties go
 * to the one that claims FILENAME's extension (FILENAME may be NULL).
 * Scans every module.  EMC_EFORMAT when no reader recognises it. */
int emc_registry_detect(emc_ctx *ctx, const char *filename,
                        const unsigned char *head, size_t len,
                        const emc_plugin **out, emc_error *err);

/* ---- conversion ---- */

/* Reads PATH ("-" = stdin) with the reader FROM (NULL: by extension, then
 * by content).  On success *OUT owns a new document (emc_doc_free). */
int emc_read_path(emc_ctx *ctx, const char *path, const char *from,
                  emc_doc **out, emc_error *err);
/* The same from memory; NAME is only for messages and extension lookup.
 * DATA (SIZE bytes, borrowed) is copied: it need not be NUL-terminated. */
int emc_read_memory(emc_ctx *ctx, const char *name, const void *data,
                    size_t size, const char *from, emc_doc **out,
                    emc_error *err);

/* Runs the filter NAME on DOC. */
int emc_filter_run(emc_ctx *ctx, const char *name, emc_doc *doc,
                   emc_error *err);

/* Runs COMMAND (with /bin/sh -c) as an external filter: the IR on its
 * standard input, new IR expected on its standard output, parsed and
 * validated as by emc_doc_parse(); DOC's resources are kept.  Fails when
 * the command fails, is killed, runs over the context's command timeout
 * (it is then killed with SIGKILL) or prints invalid IR; DOC is then
 * unchanged. */
int emc_filter_run_command(emc_ctx *ctx, const char *command, emc_doc *doc,
                           emc_error *err);

/* Writes DOC to PATH ("-" = stdout) with the writer TO (NULL: from PATH's
 * extension).  Atomic: the bytes go to a temporary file in the target's
 * directory, renamed over PATH only on success and removed on failure; for
 * stdout they are buffered and written only on success.  Refuses to write
 * over INPUT_PATH (same file) when that is given. */
int emc_write_path(emc_ctx *ctx, const emc_doc *doc, const char *path,
                   const char *to, const char *input_path, emc_error *err);

/* Removes every temporary file the library is writing, in every context
 * and thread: for a signal handler about to let the program die
 * (async-signal-safe).  The library also does it at exit().  Temporary
 * files are registered when they get a name and forgotten when renamed
 * into place or removed; with O_TMPFILE they have no name while written,
 * so even SIGKILL leaves nothing behind. */
void emc_temp_files_remove(void);

/* One of the temporary files being written now, or NULL.  Superseded by
 * emc_temp_files_remove(), which removes them all; kept for programs
 * written against 0.x (async-signal-safe). */
const char *emc_pending_temp_path(void);

/* A whole conversion. */
typedef struct emc_job {
  const char *input;               /* path or "-" */
  const char *output;              /* path or "-" */
  const char *from, *to;           /* format names, or NULL to detect */
  const char *const *filters;      /* extra filters, after the defaults;
                                      NULL-terminated, may be NULL */
  const char *const *no_filters;   /* defaults to skip ("all" = every one) */
  const char *const *commands;     /* external filter commands, run after
                                      the filters; NULL-terminated */
  const char *const *metadata;     /* "key=value" overrides, applied before
                                      the filters (they see them) and again
                                      after them; NULL-terminated */
  int validate_ir;                 /* check the IR against the schema after
                                      reading and after each filter */
  const char *const *file_metadata; /* "key=value" pairs of a metadata file
                                      (emc_meta_file_read), applied as
                                      metadata is, just before it (so -M
                                      wins); NULL-terminated, may be NULL */
  const char *const *catalogue;    /* "key=value" of the input's catalogue
                                      row (a program's --catalogue), applied
                                      after file_metadata and before
                                      metadata (so -M wins); NULL-terminated,
                                      may be NULL */
} emc_job;

int emc_convert(emc_ctx *ctx, const emc_job *job, emc_error *err);

/* ---- parallel texts ---- */

/* Versions of one text (its translations) as one document.  Each of the
 * N_INPUTS paths in INPUTS (at least two; "-" at most once) is read and
 * filtered as emc_convert() does (job->from, the filters and commands
 * apply to each; job->input is ignored).  Their text blocks -- headings,
 * paragraphs (in lists, quotes and tables too, not in notes), pre, terms,
 * captions -- are aligned by position, so every version must have as many
 * as the first; otherwise EMC_EPARSE ("cannot align: ..."), with ERR's
 * file the input that differs, and nothing is written.  The result holds
 * one <section type="translation"> per version and an <alignment>
 * (doc/ir.md); job->metadata applies to it; it is written to job->output
 * with job->to as emc_write_path() does (atomically, never over an
 * input). */
int emc_convert_parallel(emc_ctx *ctx, const emc_job *job,
                         const char *const *inputs, size_t n_inputs,
                         emc_error *err);

/* The merge step of emc_convert_parallel(), for documents already read
 * and filtered: VERSIONS[0..N-1] (N >= 2) become one new parallel
 * document, the first one's metadata (identifiers aside) its own.  NAMES
 * (may be NULL) name the versions in messages.  The versions are copied,
 * never changed.  EMC_EPARSE when their text blocks do not align, with
 * ERR's file NAMES[i] of the one that differs.
 * Returns: (transfer full) in *OUT on success. */
int emc_doc_merge_parallel(const emc_doc *const *versions,
                           const char *const *names, size_t n,
                           emc_doc **out, emc_error *err);

/* ---- collections ---- */

/* Several documents as one (an anthology, a book of articles): each of
 * the N_INPUTS paths in INPUTS (at least one; "-" at most once) is read
 * and filtered as emc_convert() does, with PART_METADATA[i] (may be NULL,
 * as may each entry: "key=value" lists, as job->catalogue) as its own
 * metadata, before and after its filters.  The result has one
 * <section type="document"> per input, in order (doc/ir.md "Collections"):
 * its heading the document's title (else its file name), its own <meta>,
 * its blocks, its ids prefixed with the part's id ("part1-...").  The
 * whole book's metadata is job->metadata (and job->catalogue), nothing
 * else; it is written to job->output with job->to as emc_write_path()
 * does (atomically, never over an input). */
int emc_convert_collection(emc_ctx *ctx, const emc_job *job, const char *const *inputs,
                           const char *const *const *part_metadata, size_t n_inputs,
                           emc_error *err);

/* The merge step of emc_convert_collection(), for documents already read
 * and filtered: PARTS[0..N-1] (N >= 1), copied, never changed, become one
 * new document with empty metadata (the book's, for the caller to give)
 * but the first part's language.  NAMES (may be NULL) are the parts' file
 * names, whose base names head the parts that have no title.
 * Returns: (transfer full) in *OUT on success. */
int emc_doc_merge_collection(const emc_doc *const *parts, const char *const *names, size_t n,
                             emc_doc **out, emc_error *err);

/* The default filter chain (','-separated names), fixed at build time and
 * overridden by $EMUCONV_DEFAULT_FILTERS.  Returns: (transfer none). */
const char *emc_default_filters(void);

/* The library's version, "X.Y.Z". */
const char *emc_version(void);

#ifdef __cplusplus
}
#endif
#endif
