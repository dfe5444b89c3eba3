/* SPDX-License-Identifier: MIT */
/* emuconv/buf.h - the growable byte buffer every module uses.
 *
 * One buffer type for readers, writers, filters and the program: text being
 * decoded, XML being written, a part being inflated.  Growth is checked for
 * size_t overflow and doubles the capacity, so appending N bytes one at a
 * time costs O(N).  The bytes are always followed by a NUL (not counted in
 * LEN) once anything was reserved, so DATA can be used as a C string when
 * the content has no NUL of its own.
 *
 * Ownership: the emc_buf owns DATA (malloc'ed) until emc_buf_steal() hands
 * it to the caller; emc_buf_release() frees it.  A buffer is not
 * thread-safe; one thread at a time.
 */
#ifndef EMUCONV_BUF_H
#define EMUCONV_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <emuconv/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct emc_buf {
  char *data; /* NULL until the first reservation */
  size_t len; /* bytes in use, not counting the trailing NUL */
  size_t cap; /* bytes allocated, the trailing NUL included */
} emc_buf;

#define EMC_BUF_INIT { NULL, 0, 0 }

void emc_buf_init(emc_buf *buf);

/* Frees the bytes and resets BUF to empty.  Safe to call twice. */
void emc_buf_release(emc_buf *buf);

/* Makes room for EXTRA more bytes (and the NUL) without another
 * allocation.  Returns EMC_OK, or EMC_ENOMEM (also when LEN + EXTRA would
 * overflow); BUF is unchanged on failure. */
int emc_buf_reserve(emc_buf *buf, size_t extra);

/* Appends N bytes from DATA (N may be 0).  Returns EMC_OK or EMC_ENOMEM;
 * on failure BUF keeps its old content. */
int emc_buf_append(emc_buf *buf, const void *data, size_t n);

/* Appends the C string S (without its NUL). */
int emc_buf_append_str(emc_buf *buf, const char *s);

/* Appends printf-style formatted text.  EMC_OK or EMC_ENOMEM (EMC_EINVAL
 * for a format error). */
int emc_buf_printf(emc_buf *buf, const char *fmt, ...) EMC_PRINTF(2, 3);
int emc_buf_vprintf(emc_buf *buf, const char *fmt, va_list ap) EMC_PRINTF(2, 0);

/* Forgets the content but keeps the memory, for reuse. */
void emc_buf_clear(emc_buf *buf);

/* Returns: (transfer full) the bytes, NUL-terminated, to free(); stores
 * the length in *LEN when LEN is not NULL; BUF is left empty.  An empty
 * buffer gives a malloc'ed "" (NULL only when out of memory). */
char *emc_buf_steal(emc_buf *buf, size_t *len);

/* Makes room for NEED elements of SIZE bytes each in the array *ARRAYP
 * (any T **, passed as void *) whose capacity is *CAP elements: git's
 * ALLOC_GROW, for arrays of structs and pointers, which an emc_buf of
 * bytes does not fit.  Grows by doubling (at least to 8), checked for
 * overflow.  Returns EMC_OK, or EMC_ENOMEM with *ARRAYP and *CAP
 * unchanged.  The caller owns the array (free()). */
int emc_array_grow(void *arrayp, size_t *cap, size_t need, size_t size);

/* Appends one byte.  Inline because readers append byte by byte in their
 * inner loops; the slow path is emc_buf_reserve(). */
static inline int emc_buf_append_byte(emc_buf *buf, unsigned char c)
{
  if (buf->len + 1 >= buf->cap) {
    int rc = emc_buf_reserve(buf, 1);
    if (rc != EMC_OK)
      return rc;
  }
  buf->data[buf->len++] = (char)c;
  buf->data[buf->len] = '\0';
  return EMC_OK;
}

#ifdef __cplusplus
}
#endif
#endif /* EMUCONV_BUF_H */
