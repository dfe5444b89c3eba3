/* SPDX-License-Identifier: MIT */
/* buf.c - the growable byte buffer; see emuconv/buf.h. */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/buf.h>

void emc_buf_init(emc_buf *buf)
{
  buf->data = NULL;
  buf->len = buf->cap = 0;
}

void emc_buf_release(emc_buf *buf)
{
  free(buf->data);
  emc_buf_init(buf);
}

int emc_buf_reserve(emc_buf *buf, size_t extra)
{
  /* LEN + EXTRA + the NUL must fit, without wrapping around. */
  if (extra > SIZE_MAX - 1 - buf->len)
    return EMC_ENOMEM;
  size_t need = buf->len + extra + 1;
  if (need <= buf->cap)
    return EMC_OK;
  size_t cap = buf->cap < 64 ? 64 : buf->cap;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  char *data = realloc(buf->data, cap);
  if (!data)
    return EMC_ENOMEM;
  if (!buf->data)
    data[0] = '\0';
  buf->data = data;
  buf->cap = cap;
  return EMC_OK;
}

int emc_buf_append(emc_buf *buf, const void *data, size_t n)
{
  int rc = emc_buf_reserve(buf, n);
  if (rc != EMC_OK)
    return rc;
  if (n)
    memcpy(buf->data + buf->len, data, n);
  buf->len += n;
  buf->data[buf->len] = '\0';
  return EMC_OK;
}

int emc_buf_append_str(emc_buf *buf, const char *s)
{
  return emc_buf_append(buf, s, strlen(s));
}

int emc_buf_vprintf(emc_buf *buf, const char *fmt, va_list ap)
{
  va_list again;
  va_copy(again, ap);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  int rc;
  if (n < 0)
    rc = EMC_EINVAL;
  else if ((size_t)n < sizeof small)
    rc = emc_buf_append(buf, small, (size_t)n);
  else if ((rc = emc_buf_reserve(buf, (size_t)n)) == EMC_OK) {
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, again);
    buf->len += (size_t)n;
  }
  va_end(again);
  return rc;
}

int emc_buf_printf(emc_buf *buf, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = emc_buf_vprintf(buf, fmt, ap);
  va_end(ap);
  return rc;
}

void emc_buf_clear(emc_buf *buf)
{
  buf->len = 0;
  if (buf->data)
    buf->data[0] = '\0';
}

char *emc_buf_steal(emc_buf *buf, size_t *len)
{
  if (!buf->data && emc_buf_reserve(buf, 0) != EMC_OK)
    return NULL;
  char *data = buf->data;
  if (len)
    *len = buf->len;
  emc_buf_init(buf);
  return data;
}

int emc_array_grow(void *arrayp, size_t *cap, size_t need, size_t size)
{
  if (need <= *cap)
    return EMC_OK;
  size_t n = *cap < 8 ? 8 : *cap;
  while (n < need)
    n = n > SIZE_MAX / 2 ? need : n * 2;
  if (size && n > SIZE_MAX / size)
    return EMC_ENOMEM;
  void *old;
  memcpy(&old, arrayp, sizeof old); /* *ARRAYP is a T *, read as bytes */
  void *grown = realloc(old, n * size);
  if (!grown)
    return EMC_ENOMEM;
  memcpy(arrayp, &grown, sizeof grown);
  *cap = n;
  return EMC_OK;
}
