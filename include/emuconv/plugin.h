/* SPDX-License-Identifier: MIT */
/* emuconv/plugin.h - the contract between the core and a format or filter
 * module.
 *
 * A module is a libtool module (-module -avoid-version) that exports
 * exactly one symbol, emc_plugin_get, written with EMC_PLUGIN_EXPORT so
 * that libltdl's <module>_LTX_ prefix applies.  It returns one const
 * descriptor; its non-NULL callbacks are the module's roles (reader,
 * writer, filter; one module may have several).  A module includes only
 * the public headers <emuconv/...>, libxml2, and what it needs itself
 * (libzip, zlib).  See doc/plugin-abi.md for the versioning rules.
 */
#ifndef EMUCONV_PLUGIN_H
#define EMUCONV_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <emuconv/error.h>
#include <emuconv/io.h>
#include <emuconv/ir.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Breaking change (member removed, moved or retyped, semantics changed):
 * MAJOR+1, MINOR=0; the loader refuses a module whose major differs.
 * Members appended at the end of emc_plugin: MINOR+1; the loader refuses a
 * module whose minor is newer than its own and reads appended members only
 * when the module's minor says they exist. */
#define EMC_PLUGIN_ABI_MAJOR 1
#define EMC_PLUGIN_ABI_MINOR 0

typedef struct emc_ctx emc_ctx;

/* A command line option a plugin understands: the core's CLI accepts
 * --NAME (and --NAME=VALUE or --NAME VALUE when HAS_ARG) and the plugin
 * reads the value with emc_ctx_option().  Several plugins may declare the
 * same name; they then share the value. */
typedef struct emc_option_spec {
  const char *name;     /* long option name without "--"; NULL ends a list */
  int has_arg;          /* 0: a switch (value "1" when given); 1: a value */
  const char *arg_name; /* "FILE", "N" ... for --help */
  const char *help;     /* one line */
} emc_option_spec;

/* Content probe: HEAD is the first LEN (<= 4096) bytes of the input.
 * Returns a confidence 0 (not mine) .. 100 (certainly mine). */
typedef int (*emc_probe_fn)(const unsigned char *head, size_t len);

/* Reader: builds a new document from IN.  On success stores it in *OUT
 * (transfer full: the caller frees it with emc_doc_free) and returns
 * EMC_OK; on failure returns a negative code, fills ERR and leaves *OUT
 * untouched. */
typedef int (*emc_read_fn)(emc_ctx *ctx, const emc_input *in, emc_doc **out,
                           emc_error *err);

/* Writer: serialises DOC (borrowed, not modified) into OUT. */
typedef int (*emc_write_fn)(emc_ctx *ctx, const emc_doc *doc,
                            emc_output *out, emc_error *err);

/* Filter: rewrites DOC in place.  On failure DOC must still be a valid
 * (if partly filtered) document, owned by the caller. */
typedef int (*emc_filter_fn)(emc_ctx *ctx, emc_doc *doc, emc_error *err);

typedef struct emc_plugin {
  uint16_t abi_major, abi_minor;   /* always first, never moved */
  const char *name;                /* == module file basename, [a-z0-9_] */
  const char *version;             /* the module's version string */
  const char *description;         /* one line, for --list-formats */
  const char *const *extensions;   /* NULL-terminated, lower case, no dot,
                                      may be compound ("ir.xml"); may be NULL */
  const char *const *mime_types;   /* NULL-terminated; may be NULL */
  unsigned flags;                  /* EMC_PLUGIN_F_* */
  emc_probe_fn probe;              /* readers: optional content probe */
  emc_read_fn read;                /* non-NULL: the module reads this format */
  emc_write_fn write;              /* non-NULL: the module writes it */
  emc_filter_fn filter;            /* non-NULL: the module is a filter */
  const emc_option_spec *options;  /* NULL-name-terminated; may be NULL */
  /* ABI 1.1+: append below; never reorder (the sqlite3ext.h rule). */
} emc_plugin;

/* The module's output is binary (zip...): never written to a terminal. */
#define EMC_PLUGIN_F_BINARY 0x1u

#define EMC_PLUGIN_ABI .abi_major = EMC_PLUGIN_ABI_MAJOR, \
                       .abi_minor = EMC_PLUGIN_ABI_MINOR

/* EMC_PLUGIN_EXPORT(txt, txt_plugin): defines txt_LTX_emc_plugin_get().
 * libltdl looks up "<module>_LTX_emc_plugin_get" first, so modules
 * preloaded into one static binary do not clash. */
#define EMC_PLUGIN_SYMBOL "emc_plugin_get"
#define EMC_PLUGIN_EXPORT(mod, desc)                    \
  const emc_plugin *mod##_LTX_emc_plugin_get(void);     \
  const emc_plugin *mod##_LTX_emc_plugin_get(void) { return &(desc); }

/* The usual way to write a module's one descriptor and its export, in one
 * statement (GStreamer's GST_PLUGIN_DEFINE):
 *
 *   EMC_PLUGIN_DEFINE(txt, "txt", PACKAGE_VERSION, "plain text reader",
 *                     .extensions = txt_extensions, .read = txt_read)
 *
 * MOD is the module's symbol prefix (its file name with every character
 * other than a letter or digit made '_'), NAME its name, and the remaining
 * arguments are designated initialisers of the other members.  The ABI
 * members are filled in.  A module may instead write its const emc_plugin
 * and EMC_PLUGIN_EXPORT by hand; the result is the same. */
#define EMC_PLUGIN_DEFINE(mod, name_, version_, description_, ...)          \
  static const emc_plugin mod##_plugin_descriptor = {                       \
    EMC_PLUGIN_ABI, .name = name_, .version = version_,                     \
    .description = description_, __VA_ARGS__                                \
  };                                                                        \
  EMC_PLUGIN_EXPORT(mod, mod##_plugin_descriptor)

/* ---- services of the core that plugins may call ---- */

/* The value of option NAME (a core option or one declared by a plugin),
 * or NULL when not given.  Returns: (transfer none) valid until
 * emc_ctx_free(). */
const char *emc_ctx_option(const emc_ctx *ctx, const char *name);

/* Diagnostics.  Plugins never print: they log through the context, and the
 * program decides what to show (-v shows INFO, -q hides WARN). */
enum emc_log_level { EMC_LOG_DEBUG, EMC_LOG_INFO, EMC_LOG_WARN };
void emc_ctx_log(emc_ctx *ctx, int level, const char *fmt, ...)
    EMC_PRINTF(3, 4);
/* A warning with a stable CODE that an audit can count on (the program's
 * report and --log list it; see doc/batch.md for the codes in use):
 * "derived-title", "image-omitted", "extraction-unsure",
 * "encoding-fallback", "empty-input".  Logged as EMC_LOG_WARN besides.
 * CODE is a static string of [a-z-]. */
void emc_ctx_warn(emc_ctx *ctx, const char *code, const char *fmt, ...)
    EMC_PRINTF(3, 4);
/* The same for a finding that an audit must see but that is no fault of
 * the input, as a title the filter derived ("derived-title"): recorded as
 * a warning with CODE, but shown as EMC_LOG_INFO (with -v only). */
void emc_ctx_note(emc_ctx *ctx, const char *code, const char *fmt, ...)
    EMC_PRINTF(3, 4);

/* Resource limits readers must respect (see doc/limits in README). */
typedef struct emc_limits {
  size_t max_input_bytes;    /* input file size */
  size_t max_depth;          /* XML/HTML element nesting */
  size_t max_nodes;          /* IR nodes a reader may create */
  size_t max_zip_entries;    /* entries in a zip package */
  size_t max_entry_bytes;    /* uncompressed size of one entry */
  size_t max_total_bytes;    /* uncompressed size of all entries read */
  size_t max_ratio;          /* uncompressed/compressed size of an entry */
} emc_limits;
/* Returns: (transfer none) the context's limits. */
const emc_limits *emc_ctx_limits(const emc_ctx *ctx);

/* For a reader, during its read call: the directory that relative
 * references in the input (an HTML page's images) resolve against: the
 * input file's directory for emc_read_path(), NULL for standard input and
 * for emc_read_memory(), whose NAME is only a label; NULL means "resolve
 * nothing".  Returns: (transfer none) valid until the read returns. */
const char *emc_ctx_input_dir(const emc_ctx *ctx);

/* The time a writer should stamp into its output, in seconds since the
 * epoch: SOURCE_DATE_EPOCH when set (reproducible builds), else now. */
long long emc_ctx_timestamp(const emc_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
