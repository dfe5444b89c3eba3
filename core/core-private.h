/* SPDX-License-Identifier: MIT */
/* core-private.h - what the core's files share; never installed.
 * Symbols here are emci_* and hidden from plugins. */
#ifndef EMUCONV_CORE_PRIVATE_H
#define EMUCONV_CORE_PRIVATE_H

#include <stdarg.h>
#include <sys/types.h>
#include <ltdl.h>
#include <libxml/xmlIO.h>
#include <emuconv/emuconv.h>

typedef struct emci_module {
  const emc_plugin *plugin; /* borrowed from the module; dies with handle */
  lt_dlhandle handle;
  char *path;               /* the file it was loaded from */
} emci_module;

typedef struct emci_option {
  char *name, *value;
} emci_option;

struct emc_ctx {
  char *plugin_path;        /* ':'-separated */
  char *usable_path;        /* plugin_path less the unsafe directories
                               (registry.c); NULL until first needed */
  emci_module *modules;     /* loaded, in load order */
  size_t n_modules, cap_modules;
  int scanned;              /* every directory has been scanned */
  char **tried;             /* module names looked for and not found/usable */
  size_t n_tried;
  emci_option *options;
  size_t n_options;
  emc_log_fn log_fn;
  void *log_user;
  emc_warning_fn warning_fn;
  void *warning_user;
  emc_progress_fn progress_fn;
  void *progress_user;
  emc_limits limits;
  double command_timeout;   /* seconds; 0: none */
  const char *input_dir;    /* emc_ctx_input_dir() during a read, else NULL */
};

/* printf into a new malloc'ed string; NULL on ENOMEM. */
char *emci_vasprintf(const char *fmt, va_list ap) EMC_PRINTF(1, 0);
char *emci_asprintf(const char *fmt, ...) EMC_PRINTF(1, 2);
char *emci_strdup(const char *s);

/* The registry's shared lock around libltdl (one process-wide init). */
int emci_ltdl_acquire(void);
void emci_ltdl_release(void);

void emci_registry_free(emc_ctx *ctx);

/* Tells the progress handler, if any, that PHASE (DETAIL) starts. */
void emci_progress(emc_ctx *ctx, const char *phase, const char *detail);

/* emc_output backed by a file descriptor (the core's temp files). */
emc_output *emci_output_fd_new(int fd, const char *name);
/* Flushes; returns EMC_OK or EMC_EIO with ERR set. */
int emci_output_finish(emc_output *out, emc_error *err);

/* irtree-check.c: TREE against the IR grammar (ir.rng) in linear time.
 * Writes the first problem ("line N: ...") to FIRST (FIRST_SIZE bytes)
 * and the number of problems to *COUNT.  Returns EMC_OK or EMC_ENOMEM. */
int emci_ir_check(xmlDocPtr tree, char *first, size_t first_size, int *count);

/* convert.c: the filters of a job on DOC (the default chain minus
 * job->no_filters, then job->filters, then job->commands), and its
 * metadata (job->file_metadata, job->catalogue, then job->metadata). */
int emci_run_filters(emc_ctx *ctx, const emc_job *job, emc_doc *doc, emc_error *err);
int emci_apply_metadata(emc_doc *doc, const emc_job *job, emc_error *err);

/* tempfile.c: the registry of temporary output files.  A temporary file
 * for TARGET, in TARGET's directory, created with MODE (before the umask
 * when it is anonymous; exactly MODE otherwise); *FD is its descriptor,
 * owned by the entry.  Removed by emc_temp_files_remove() and at exit
 * until committed or deleted. */
typedef struct emci_tempfile emci_tempfile;
int emci_tempfile_create(const char *target, mode_t mode, emci_tempfile **out, int *fd,
                         emc_error *err);
/* Closes the file and renames it over TARGET; on failure it is removed.
 * Either way T is given back. */
int emci_tempfile_commit(emci_tempfile *t, const char *target, emc_error *err);
/* Closes and removes the file; T is given back.  NULL: nothing. */
void emci_tempfile_delete(emci_tempfile *t);

/* xmlsave.c: libxml2's serialisation, the same bytes, with text escaped a
 * run at a time (libxml2 looks at each byte through a callback); kept
 * because it saves 10 % and more on the --no-filter TEI rows (doc/design.md).
 * tests/unit/xmlsave compares both with libxml2 on every fixture.
 * emci_xml_save: DOC (borrowed) as UTF-8 XML with a declaration into SINK;
 * FORMAT indents; libxml2 prints nothing.  Returns EMC_OK, the sink's
 * code, or EMC_ENOMEM / EMC_ERROR with ERR set.
 * emci_xml_dump: NODE's subtree into BUF at LEVEL, the bytes of
 * xmlNodeDumpOutput(BUF, NODE->doc, NODE, LEVEL, FORMAT, "UTF-8").
 * Returns EMC_OK or EMC_ENOMEM. */
int emci_xml_save(xmlDocPtr doc, int format, emc_output_sink sink, void *user, emc_error *err);
int emci_xml_dump(xmlOutputBufferPtr buf, xmlNodePtr node, int level, int format);

/* The IR schema text, generated from include/emuconv/ir.rng. */
extern const char emci_ir_schema[];

#endif
