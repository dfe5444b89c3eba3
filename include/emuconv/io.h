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
#include <libxml/xmlIO.h>
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

/* Where emc_xml_save puts the serialised XML: called with each piece (LEN
 * bytes of DATA, borrowed); returns EMC_OK, or a negative code with ERR
 * set, which stops the serialisation and is returned by emc_xml_save. */
typedef int (*emc_xml_sink)(void *user, const void *data, size_t len, emc_error *err);

/* Serialises DOC (borrowed) as UTF-8 XML with an XML declaration into
 * SINK (USER its first argument); FORMAT non-zero indents it.  libxml2
 * prints nothing meanwhile: a failing sink is reported once, by the code
 * returned.  Returns EMC_OK, the sink's code, or a negative code with ERR
 * set (EMC_ENOMEM, EMC_ERROR). */
int emc_xml_save(xmlDocPtr doc, int format, emc_xml_sink sink, void *user, emc_error *err);

/* Writes NODE (borrowed) and its subtree into BUF at indent LEVEL, with
 * the bytes of xmlNodeDumpOutput(BUF, NODE->doc, NODE, LEVEL, FORMAT,
 * "UTF-8"), but escaping text a run at a time where libxml2 looks at each
 * byte through a callback (a writer that streams its output a block at a
 * time calls this for each block).  Returns EMC_OK, or EMC_ENOMEM when an
 * attribute could not be escaped (the output is then incomplete). */
int emc_xml_dump(xmlOutputBufferPtr buf, xmlNodePtr node, int level, int format);

/* emc_xml_save into OUT. */
int emc_output_save_xml(emc_output *out, xmlDocPtr doc, int format,
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
