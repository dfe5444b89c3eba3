/* SPDX-License-Identifier: MIT */
/* emuconv/io.h - what readers read from and writers write to.
 *
 * The core reads the whole input into memory (bounded by a size limit) and
 * hands a reader an emc_input; a reader never opens files itself, so "-"
 * (stdin), pipes and regular files look alike.  Writers write into an
 * emc_output, which the core backs with a temporary file that is renamed
 * over the target only after the writer succeeded, so a failing writer
 * never leaves a partial file.
 */
#ifndef EMUCONV_IO_H
#define EMUCONV_IO_H

#include <stddef.h>
#include <libxml/tree.h>
#include <emuconv/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The input of a reader.  Borrowed: the core owns all members for the
 * duration of the read call; copy what must outlive it. */
typedef struct emc_input {
  const char *name;          /* the path as given on the command line,
                                "-" for stdin, or a caller's label for
                                emc_read_memory(): for messages only;
                                relative references (images) resolve
                                against emc_ctx_input_dir(), never
                                against NAME */
  const unsigned char *data; /* the whole input; data[size] is a NUL byte */
  size_t size;               /* bytes in data */
} emc_input;

/* Where a writer writes.  Opaque; created and owned by the core. */
typedef struct emc_output emc_output;

/* Appends LEN bytes.  Returns EMC_OK, or EMC_EIO with ERR filled (e.g. the
 * disk is full).  A writer should stop and return the code. */
int emc_output_write(emc_output *out, const void *data, size_t len,
                     emc_error *err);

/* Where a sink output's bytes go (emc_output_sink_new): called with each
 * piece (LEN bytes of DATA, borrowed); returns EMC_OK, or a negative code
 * with ERR set, which fails that write and every later one. */
typedef int (*emc_output_sink)(void *user, const void *data, size_t len, emc_error *err);

/* An output whose bytes go to SINK (USER its first argument) as they are
 * written: a zip entry's deflater, say.  Returns: (transfer full) free
 * with emc_output_free(); NULL when out of memory. */
emc_output *emc_output_sink_new(emc_output_sink sink, void *user);

/* Serialises DOC (borrowed) into OUT with the bytes of libxml2's
 * xmlSaveDoc(), as UTF-8 with an XML declaration; FORMAT non-zero indents
 * it.  libxml2 prints nothing: a failed write is reported once, by the
 * code returned.  Returns EMC_OK, the write's code, or EMC_ENOMEM /
 * EMC_ERROR with ERR set. */
int emc_output_save_xml(emc_output *out, xmlDocPtr doc, int format,
                        emc_error *err);

/* Writes NODE (borrowed) and its subtree into OUT at indent LEVEL, with
 * the bytes of libxml2's xmlNodeDumpOutput(..., LEVEL, FORMAT, "UTF-8"):
 * for a writer that streams its output a block at a time.  Returns EMC_OK,
 * the write's code, or EMC_ENOMEM with ERR set. */
int emc_output_dump_xml(emc_output *out, xmlNodePtr node, int level, int format,
                        emc_error *err);

/* A memory output, for tests, fuzzing and plugins that nest formats.
 * emc_output_memory_new: Returns: (transfer full) free with
 * emc_output_free(); NULL when out of memory. */
emc_output *emc_output_memory_new(void);
/* The bytes written so far (borrowed; valid until the next write/free). */
const unsigned char *emc_output_memory_data(const emc_output *out,
                                            size_t *len);
void emc_output_free(emc_output *out);

#ifdef __cplusplus
}
#endif
#endif
