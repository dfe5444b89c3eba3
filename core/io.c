/* SPDX-License-Identifier: MIT */
/* io.c - emc_output: a growable memory buffer or a file descriptor. */
#include <config.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/xmlsave.h>
#include "core-private.h"

struct emc_output {
  int fd;                /* -1: memory */
  char *name;            /* for messages */
  unsigned char *buf;    /* memory contents, or the fd's write buffer */
  size_t len, cap;
  int failed;            /* a write already failed */
  emc_output_sink sink;  /* non-NULL: the bytes go there, not to buf */
  void *sink_user;
};

enum { FD_BUFFER = 1 << 16 };

emc_output *emc_output_memory_new(void)
{
  emc_output *out = calloc(1, sizeof *out);
  if (out)
    out->fd = -1;
  return out;
}

emc_output *emc_output_sink_new(emc_output_sink sink, void *user)
{
  emc_output *out = emc_output_memory_new();
  if (out) {
    out->sink = sink;
    out->sink_user = user;
  }
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
  if (out->sink) {
    int rc = out->sink(out->sink_user, data, len, err);
    out->failed = rc != EMC_OK;
    return rc;
  }
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
  return emci_xml_save(doc, format, output_sink, out, err);
}

/* emc_output_dump_xml's xmlOutputBuffer: its write callback keeps the
 * first failure and takes the rest as written, so that libxml2 neither
 * prints "I/O error" nor reports a failure of its own: ERR says it once. */
struct dump_xml {
  emc_output *out;
  emc_error *err;
  int rc;
};

static int dump_xml_write(void *user, const char *data, int len)
{
  struct dump_xml *d = user;
  if (d->rc == EMC_OK)
    d->rc = emc_output_write(d->out, data, (size_t)len, d->err);
  return len;
}

static int dump_xml_close(void *user)
{
  (void)user;
  return 0;
}

int emc_output_dump_xml(emc_output *out, xmlNodePtr node, int level, int format,
                        emc_error *err)
{
  struct dump_xml d = { out, err, EMC_OK };
  xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(dump_xml_write, dump_xml_close, &d, NULL);
  if (!buf)
    return emc_error_set(err, EMC_ENOMEM, "cannot serialise XML");
  int dumped = emci_xml_dump(buf, node, level, format);
  int closed = xmlOutputBufferClose(buf);
  if (d.rc)
    return d.rc;
  if (dumped || closed < 0)
    return emc_error_set(err, EMC_ENOMEM, "serialising XML failed");
  return EMC_OK;
}
