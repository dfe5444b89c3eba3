/* SPDX-License-Identifier: MIT */
/* zipread.h - reading an untrusted zip package (DOCX, ODF, EPUB) under
 * the limits.
 *
 * Internal to the emuconv source tree: a convenience library on libzip,
 * not part of the plugin ABI.  The one implementation of the rules every
 * zip reader keeps (the docx, odt and epub readers): the directory is checked against the context's
 * limits (entries, sizes, ratio, unsafe names) and against the local
 * headers (what ZIP_CHECKCONS checked, less timestamps), and the same
 * limits are enforced again on the bytes as they inflate, because a
 * hostile header may lie; the whole package is held to the ratio too. */
#ifndef EMUCONV_ZIPREAD_H
#define EMUCONV_ZIPREAD_H

#include <stddef.h>
#include <zip.h>
#include <emuconv/plugin.h>

typedef struct zipread {
  zip_source_t *src;
  zip_t *za;
  const emc_limits *lim;
  emc_error *err;
  size_t total;     /* bytes inflated so far */
  size_t max_total; /* the bound on TOTAL (limit and ratio) */
} zipread;

/* Opens IN (borrowed; must outlive the package) as a zip package, with
 * CTX's limits; KIND names the format in messages, with its article
 * ("an ODT": "not an ODT package").  On failure
 * ERR is set and Z needs no zipread_close(). */
int zipread_open(zipread *z, emc_ctx *ctx, const emc_input *in, const char *kind,
                 emc_error *err);
void zipread_close(zipread *z);

/* The index of entry NAME (exact, then case-blind), -1 when absent. */
zip_int64_t zipread_find(zipread *z, const char *name);

/* The bytes of entry NAME, NUL-terminated (transfer full, free()). */
int zipread_read(zipread *z, const char *name, unsigned char **data, size_t *len);

/* Receives the bytes of an entry as they inflate (DATA borrowed for the
 * call); a nonzero return stops the inflation and is returned by
 * zipread_inflate(). */
typedef int (*zipread_sink_fn)(void *user, const char *data, size_t len);

/* Inflates entry IDX (from zipread_find(); NAME names it in messages),
 * handing the bytes to SINK chunk by chunk, so that a reader may stream a
 * part that is never whole in memory; stops at the first byte over a
 * limit. */
int zipread_inflate(zipread *z, const char *name, zip_int64_t idx, zipread_sink_fn sink,
                    void *user);

/* NAME made fit for a one-line message in BUF of SIZE bytes (control
 * characters as '?', cut with "..."); returns BUF (borrowed). */
const char *zipread_shown(const char *name, char *buf, size_t size);

#endif
