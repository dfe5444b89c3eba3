/* zippkg.c - see zippkg.h. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>
#include <libxml/xmlsave.h>
#include "zippkg.h"

struct zippkg {
  zip_source_t *src; /* the archive's bytes, in memory */
  zip_t *za;
  time_t mtime;
};

static int zip_failed(emc_error *err, const char *what, zip_error_t *ze)
{
  return emc_error_set(err, EMC_ERROR, "zip: %s: %s", what, zip_error_strerror(ze));
}

zippkg *zippkg_new(long long timestamp, emc_error *err)
{
  zippkg *z = calloc(1, sizeof *z);
  if (!z) {
    emc_error_set(err, EMC_ENOMEM, "out of memory");
    return NULL;
  }
  /* DOS time starts in 1980: clamp, as reproducible-build tools do. */
  z->mtime = (time_t)(timestamp < 315532800LL ? 315532800LL : timestamp);
  zip_error_t ze;
  zip_error_init(&ze);
  z->src = zip_source_buffer_create(NULL, 0, 0, &ze);
  if (!z->src) {
    zip_failed(err, "cannot create a buffer", &ze);
    zip_error_fini(&ze);
    free(z);
    return NULL;
  }
  zip_source_keep(z->src); /* survives zip_close: we read the result from it */
  z->za = zip_open_from_source(z->src, ZIP_TRUNCATE, &ze);
  if (!z->za) {
    zip_failed(err, "cannot open the archive", &ze);
    zip_error_fini(&ze);
    zip_source_free(z->src);
    free(z);
    return NULL;
  }
  zip_error_fini(&ze);
  return z;
}

int zippkg_add(zippkg *z, const char *name, const void *data, size_t len,
               int store, emc_error *err)
{
  void *copy = malloc(len ? len : 1);
  if (!copy)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  if (len)
    memcpy(copy, data, len);
  zip_source_t *s = zip_source_buffer(z->za, copy, len, 1 /* free it */);
  if (!s) {
    free(copy);
    return zip_failed(err, name, zip_get_error(z->za));
  }
  zip_int64_t idx = zip_file_add(z->za, name, s, ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(s);
    return zip_failed(err, name, zip_get_error(z->za));
  }
  /* Level 6, zlib's and gzip's default: libzip's own default (flags 0) is
   * 9, which takes half as long again for a percent or two on text. */
  if (zip_set_file_compression(z->za, (zip_uint64_t)idx,
                               store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                               store ? 0 : 6) != 0 ||
      zip_file_set_mtime(z->za, (zip_uint64_t)idx, z->mtime, 0) != 0)
    return zip_failed(err, name, zip_get_error(z->za));
  return EMC_OK;
}

struct membuf {
  emc_output *out;
  emc_error *err;
  int rc;
};

int zippkg_add_xml(zippkg *z, const char *name, xmlDocPtr doc, emc_error *err)
{
  emc_output *mem = emc_output_memory_new();
  if (!mem)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  int rc = emc_output_save_xml(mem, doc, 0, err);
  if (rc == EMC_OK) {
    size_t len;
    const unsigned char *data = emc_output_memory_data(mem, &len);
    rc = zippkg_add(z, name, data, len, 0, err);
  }
  emc_output_free(mem);
  return rc;
}

int zippkg_finish(zippkg *z, emc_output *out, emc_error *err)
{
  if (!z->za)
    return emc_error_set(err, EMC_EINVAL, "zip package already finished");
  if (zip_close(z->za) != 0) {
    int rc = zip_failed(err, "cannot write the archive", zip_get_error(z->za));
    zip_discard(z->za);
    z->za = NULL;
    return rc;
  }
  z->za = NULL;
  if (zip_source_open(z->src) != 0)
    return zip_failed(err, "cannot read the archive back", zip_source_error(z->src));
  unsigned char buf[65536];
  int rc = EMC_OK;
  for (;;) {
    zip_int64_t n = zip_source_read(z->src, buf, sizeof buf);
    if (n < 0) {
      rc = zip_failed(err, "cannot read the archive back", zip_source_error(z->src));
      break;
    }
    if (n == 0)
      break;
    if ((rc = emc_output_write(out, buf, (size_t)n, err)))
      break;
  }
  zip_source_close(z->src);
  return rc;
}

void zippkg_free(zippkg *z)
{
  if (!z)
    return;
  if (z->za)
    zip_discard(z->za);
  zip_source_free(z->src);
  free(z);
}
