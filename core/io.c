/* io.c - emc_output: a growable memory buffer or a file descriptor. */
#include <config.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core-private.h"

struct emc_output {
  int fd;                /* -1: memory */
  char *name;            /* for messages */
  unsigned char *buf;    /* memory contents, or the fd's write buffer */
  size_t len, cap;
  int failed;            /* a write already failed */
};

enum { FD_BUFFER = 1 << 16 };

emc_output *emc_output_memory_new(void)
{
  emc_output *out = calloc(1, sizeof *out);
  if (out)
    out->fd = -1;
  return out;
}

emc_output *emci_output_fd_new(int fd, const char *name)
{
  emc_output *out = calloc(1, sizeof *out);
  if (!out)
    return NULL;
  out->fd = fd;
  out->name = emci_strdup(name);
  out->buf = malloc(FD_BUFFER);
  if (!out->name || !out->buf) {
    emc_output_free(out);
    return NULL;
  }
  out->cap = FD_BUFFER;
  return out;
}

void emc_output_free(emc_output *out)
{
  if (!out)
    return;
  free(out->buf);
  free(out->name);
  free(out);
}

const unsigned char *emc_output_memory_data(const emc_output *out,
                                            size_t *len)
{
  if (len)
    *len = out->len;
  return out->buf;
}

static int flush_fd(emc_output *out, emc_error *err)
{
  size_t done = 0;
  while (done < out->len) {
    ssize_t n = write(out->fd, out->buf + done, out->len - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      out->failed = 1;
      return emc_error_set(err, EMC_EIO, "%s: write failed: %s", out->name,
                           strerror(errno));
    }
    done += (size_t)n;
  }
  out->len = 0;
  return EMC_OK;
}

int emc_output_write(emc_output *out, const void *data, size_t len,
                     emc_error *err)
{
  if (out->failed)
    return emc_error_set(err, EMC_EIO, "%s: write failed earlier",
                         out->name ? out->name : "output");
  if (out->fd >= 0) {
    if (out->len + len > out->cap) {
      int rc = flush_fd(out, err);
      if (rc)
        return rc;
    }
    if (len >= out->cap) { /* large block: write through */
      unsigned char *saved = out->buf;
      size_t saved_cap = out->cap;
      out->buf = (unsigned char *)data;
      out->len = len;
      int rc = flush_fd(out, err);
      out->buf = saved;
      out->cap = saved_cap;
      out->len = 0;
      return rc;
    }
  } else if (out->len + len > out->cap) {
    size_t cap = out->cap ? out->cap : 4096;
    while (cap < out->len + len) {
      if (cap > SIZE_MAX / 2)
        return emc_error_set(err, EMC_ENOMEM, "output too large");
      cap *= 2;
    }
    unsigned char *grown = realloc(out->buf, cap);
    if (!grown) {
      out->failed = 1;
      return emc_error_set(err, EMC_ENOMEM, "out of memory for the output");
    }
    out->buf = grown;
    out->cap = cap;
  }
  if (len)
    memcpy(out->buf + out->len, data, len);
  out->len += len;
  return EMC_OK;
}

int emci_output_finish(emc_output *out, emc_error *err)
{
  if (out->fd < 0)
    return EMC_OK;
  /* No fsync: the rename makes the output atomic for readers and against
   * crashes of emuconv; durability across power loss is the file
   * system's business, and an fsync per file would dominate batch runs. */
  return flush_fd(out, err);
}

static int output_sink(void *out, const void *data, size_t len, emc_error *err)
{
  return emc_output_write(out, data, len, err);
}

int emc_output_save_xml(emc_output *out, xmlDocPtr doc, int format, emc_error *err)
{
  return emc_xml_save(doc, format, output_sink, out, err);
}
