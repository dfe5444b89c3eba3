/* zippkg.h - writing OCF/ODF-style zip packages (EPUB, ODT) with libzip.
 *
 * Internal to the emuconv source tree: a convenience library linked into
 * the writer modules that need it, not part of the plugin ABI.
 *
 * What it guarantees, as both EPUB (OCF 3.3 sec. 4.2) and ODF (Packages,
 * sec. 3.3) require: the first entry may be stored uncompressed with no
 * extra field ("mimetype"); every entry gets the same timestamp (the
 * context's, SOURCE_DATE_EPOCH when set) and entries stay in the order
 * they were added, so the same input gives byte-identical packages.
 */
#ifndef EMUCONV_ZIPPKG_H
#define EMUCONV_ZIPPKG_H

#include <stddef.h>
#include <emuconv/plugin.h>

typedef struct zippkg zippkg;

/* A new package in memory, stamped with TIMESTAMP (seconds since the
 * epoch).  Returns: (transfer full) free with zippkg_free(); NULL with ERR
 * set on failure. */
zippkg *zippkg_new(long long timestamp, emc_error *err);

/* Adds NAME with LEN bytes of DATA (copied).  STORE non-zero: no
 * compression (the "mimetype" entry); otherwise deflate, level 6. */
int zippkg_add(zippkg *z, const char *name, const void *data, size_t len,
               int store, emc_error *err);

/* Adds a serialised XML document (UTF-8, with declaration), deflated. */
int zippkg_add_xml(zippkg *z, const char *name, xmlDocPtr doc, emc_error *err);

/* Finishes the archive and writes it to OUT.  The package is spent
 * afterwards (only zippkg_free() may follow). */
int zippkg_finish(zippkg *z, emc_output *out, emc_error *err);

/* Frees the package (finished or not).  NULL is a no-op. */
void zippkg_free(zippkg *z);

#endif
