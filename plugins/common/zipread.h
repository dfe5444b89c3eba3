/* SPDX-License-Identifier: MIT */
/* zipread.h - reading an untrusted zip package (ODF) under the limits.
 *
 * Internal to the emuconv source tree: a convenience library on libzip,
 * not part of the plugin ABI.  The rules are the docx reader's
 * (plugins/docx/docx-pkg.c, from which this is taken so that other zip
 * readers share them): the directory is checked against the context's
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

#endif
