/* SPDX-License-Identifier: MIT */
/* convert.c - the pipeline: read (whole input into memory, bounded),
 * detect, filters, metadata overrides, atomic write. */
#include <config.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <emuconv/buf.h>
#include "core-private.h"

/* ---------------------------------------------------------------- read */

/* Reads FD to its end into a NUL-terminated buffer of at most MAX bytes. */
static int slurp(int fd, const char *name, size_t max, unsigned char **data,
                 size_t *size, emc_error *err)
{
  struct stat st;
  size_t chunk = 65536;
  emc_buf buf = EMC_BUF_INIT;
  if (fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return emc_error_set(err, EMC_EIO, "is a directory");
    if (S_ISREG(st.st_mode)) {
      if ((unsigned long long)st.st_size > max)
        return emc_error_set(err, EMC_ELIMIT,
                             "input is %lld bytes, over the limit of %zu (--max-input-size)",
                             (long long)st.st_size, max);
      chunk = (size_t)st.st_size + 1; /* the data, and room to see EOF */
    }
  }
  if (emc_buf_reserve(&buf, chunk) != EMC_OK)
    return emc_error_set(err, EMC_ENOMEM, "out of memory reading %s", name);
  for (;;) {
    /* room for one more read; emc_buf doubles, so reading N bytes costs O(N) */
    if (buf.cap - buf.len < 2 && emc_buf_reserve(&buf, buf.len < 65536 ? 65536 : buf.len) != EMC_OK) {
      emc_buf_release(&buf);
      return emc_error_set(err, EMC_ENOMEM, "out of memory reading the input");
    }
    size_t room = buf.cap - 1 - buf.len;
    if (max < SIZE_MAX && room > max + 1 - buf.len)
      room = max + 1 - buf.len; /* max+1 bytes are enough to see it is over */
    ssize_t n = read(fd, buf.data + buf.len, room);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      emc_buf_release(&buf);
      return emc_error_set(err, EMC_EIO, "read failed: %s", strerror(e));
    }
    if (n == 0)
      break;
    buf.len += (size_t)n;
    if (buf.len > max) {
      emc_buf_release(&buf);
      return emc_error_set(err, EMC_ELIMIT,
                           "input is over the limit of %zu bytes (--max-input-size)", max);
    }
  }
  buf.data[buf.len] = '\0';
  *data = (unsigned char *)emc_buf_steal(&buf, size);
  return *data ? EMC_OK : emc_error_set(err, EMC_ENOMEM, "out of memory reading %s", name);
}

static int choose_reader(emc_ctx *ctx, const char *name, const unsigned char *data,
                         size_t size, const char *from, const emc_plugin **out,
                         emc_error *err)
{
  size_t head = size < 4096 ? size : 4096;
  if (from)
    return emc_registry_find(ctx, from, EMC_ROLE_READER, out, err);
  const emc_plugin *by_ext = NULL;
  if (name && strcmp(name, "-") != 0) {
    emc_error ignored = EMC_ERROR_INIT;
    emc_registry_find_by_extension(ctx, name, EMC_ROLE_READER, &by_ext, &ignored);
    emc_error_release(&ignored);
  }
  /* The extension is trusted unless the reader's own probe rejects the
   * content (a ZIP named .txt): that is an error, not a guess, with a hint
   * when the content looks like something else emuconv reads. */
  if (by_ext && (!by_ext->probe || by_ext->probe(data, head) > 0)) {
    *out = by_ext;
    return EMC_OK;
  }
  const emc_plugin *by_content = NULL;
  emc_error derr = EMC_ERROR_INIT;
  int rc = emc_registry_detect(ctx, name, data, head, &by_content, &derr);
  if (by_ext) {
    emc_error_release(&derr);
    if (rc == EMC_OK && by_content != by_ext)
      return emc_error_set(err, EMC_EFORMAT,
                           "the extension says %s, but the content is not %s (it looks "
                           "like %s: use -f %s to read it as that)", by_ext->name,
                           by_ext->name, by_content->name, by_content->name);
    return emc_error_set(err, EMC_EFORMAT,
                         "the extension says %s, but the content is not %s (nor any "
                         "format emuconv reads)", by_ext->name, by_ext->name);
  }
  if (rc == EMC_OK) {
    emc_error_release(&derr);
    *out = by_content;
    return EMC_OK;
  }
  emc_error_release(err);
  *err = derr;
  return rc;
}

/* An input of no bytes, or of blanks only (a UTF-8 BOM allowed): whatever
 * its format, it converts to an "Untitled document" that only the tool's
 * defaults fill, which an archive must be able to tell from a document.
 * Bytes only, so that the core stays ignorant of formats. */
static int blank_input(const unsigned char *data, size_t size)
{
  size_t i = size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
  for (; i < size; i++)
    if (!strchr(" \t\r\n\f\v", data[i]) || data[i] == '\0')
      return 0;
  return 1;
}

/* DATA[SIZE] is a NUL byte (the emc_input contract).  DIR: what
 * emc_ctx_input_dir() says during the read (NULL: nothing resolves). */
static int read_terminated(emc_ctx *ctx, const char *name, const char *dir,
                           const unsigned char *data, size_t size, const char *from,
                           emc_doc **out, emc_error *err)
{
  const emc_plugin *reader;
  int rc = choose_reader(ctx, name, data, size, from, &reader, err);
  if (rc)
    return rc;
  emc_ctx_log(ctx, EMC_LOG_DEBUG, "%s: reading with '%s'", name, reader->name);
  emc_input in = { name, data, size };
  emc_doc *doc = NULL;
  const char *outer_dir = ctx->input_dir;
  ctx->input_dir = dir;
  rc = reader->read(ctx, &in, &doc, err);
  ctx->input_dir = outer_dir;
  if (rc == EMC_OK && !doc)
    rc = emc_error_set(err, EMC_ERROR, "reader '%s' returned no document", reader->name);
  if (rc) {
    if (err && !err->message)
      emc_error_set(err, rc, "%s", emc_strerror(rc));
    return rc;
  }
  if (blank_input(data, size))
    emc_ctx_warn(ctx, "empty-input", "%s: empty input", name);
  *out = doc;
  return EMC_OK;
}

int emc_read_memory(emc_ctx *ctx, const char *name, const void *data,
                    size_t size, const char *from, emc_doc **out,
                    emc_error *err)
{
  /* Readers may rely on a NUL after the data (libxml2's parsers do, when
   * reading in place); the caller's buffer need not have one, so copy.
   * (Found by fuzz-html: libFuzzer's buffers end exactly at SIZE.) */
  unsigned char *copy = malloc(size + 1);
  if (!copy)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  if (size)
    memcpy(copy, data, size);
  copy[size] = '\0';
  /* NAME is a label: relative references resolve against nothing (not
   * against the process's working directory, as a bare name would). */
  int rc = read_terminated(ctx, name, NULL, copy, size, from, out, err);
  free(copy);
  return rc;
}

int emc_read_path(emc_ctx *ctx, const char *path, const char *from,
                  emc_doc **out, emc_error *err)
{
  int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return emc_error_set(err, EMC_EIO, "cannot open: %s", strerror(e));
  }
  unsigned char *data = NULL;
  size_t size = 0;
  int rc = slurp(fd, path, ctx->limits.max_input_bytes, &data, &size, err);
  if (fd != STDIN_FILENO)
    close(fd);
  if (rc)
    return rc;
  /* the input's directory: "." for a bare name, none for stdin */
  char *dir = NULL;
  if (strcmp(path, "-") != 0) {
    const char *slash = strrchr(path, '/');
    dir = !slash ? emci_strdup(".")
                 : emci_asprintf("%.*s", slash == path ? 1 : (int)(slash - path), path);
    if (!dir) {
      free(data);
      return emc_error_set(err, EMC_ENOMEM, "out of memory");
    }
  }
  rc = read_terminated(ctx, path, dir, data, size, from, out, err); /* slurp() ends it with NUL */
  free(dir);
  free(data);
  return rc;
}

/* --------------------------------------------------------------- filter */

int emc_filter_run(emc_ctx *ctx, const char *name, emc_doc *doc,
                   emc_error *err)
{
  const emc_plugin *f;
  int rc = emc_registry_find(ctx, name, EMC_ROLE_FILTER, &f, err);
  if (rc)
    return rc;
  emc_ctx_log(ctx, EMC_LOG_DEBUG, "running filter '%s'", f->name);
  rc = f->filter(ctx, doc, err);
  if (rc && err && !err->message)
    emc_error_set(err, rc, "filter '%s' failed", name);
  return rc;
}

/* ---------------------------------------------------------------- write */

/* Stdout, a device or a FIFO: no temp file can be renamed over it, so the
 * output is built in memory and written only once the writer succeeded. */
static int write_buffered(emc_ctx *ctx, const emc_plugin *w, const emc_doc *doc,
                          int fd, const char *name, emc_error *err)
{
  if ((w->flags & EMC_PLUGIN_F_BINARY) && isatty(fd))
    return emc_error_set(err, EMC_EINVAL,
                         "refusing to write binary %s output to a terminal", w->name);
  emc_output *out = emc_output_memory_new();
  if (!out)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  int rc = w->write(ctx, doc, out, err);
  if (rc == EMC_OK) {
    size_t len;
    const unsigned char *p = emc_output_memory_data(out, &len);
    while (len) {
      ssize_t n = write(fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        rc = emc_error_set(err, EMC_EIO, "%s: write failed: %s", name,
                           n < 0 ? strerror(errno) : "nothing written");
        break;
      }
      p += n;
      len -= (size_t)n;
    }
  }
  emc_output_free(out);
  return rc;
}

/* Writes DOC with W into a registered temporary file in PATH's directory
 * and renames it over PATH once complete; removes it on failure.  OLD:
 * the file replaced, whose owner and group are kept when we may. */
static int write_atomically(emc_ctx *ctx, const emc_plugin *w, const emc_doc *doc,
                            const char *path, mode_t mode, const struct stat *old,
                            emc_error *err)
{
  emci_tempfile *tmp;
  int fd;
  int rc = emci_tempfile_create(path, mode, &tmp, &fd, err);
  if (rc)
    return rc;
  if (old && (old->st_uid != geteuid() || old->st_gid != getegid()) &&
      fchown(fd, old->st_uid, old->st_gid) == 0)
    (void)fchmod(fd, mode); /* chown may have cleared bits */
  emc_output *out = emci_output_fd_new(fd, path);
  if (!out)
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  else {
    rc = w->write(ctx, doc, out, err);
    if (rc == EMC_OK)
      rc = emci_output_finish(out, err);
    else if (err && !err->message)
      emc_error_set(err, rc, "writer '%s' failed", w->name);
  }
  emc_output_free(out);
  if (rc == EMC_OK)
    return emci_tempfile_commit(tmp, path, err);
  emci_tempfile_delete(tmp);
  return rc;
}

/* Where emc_write_path() puts its bytes (see resolve_output()). */
enum target_kind {
  TARGET_FILE,       /* a regular file (or none yet): temp file + rename */
  TARGET_DESCRIPTOR, /* an open descriptor of ours (/dev/stdout...) */
  TARGET_OPEN        /* a device, FIFO, /proc entry: opened and written */
};

struct target {
  enum target_kind kind;
  int fd;            /* TARGET_DESCRIPTOR */
  char *path;        /* TARGET_FILE, TARGET_OPEN: the path with no link left */
  int exists;        /* TARGET_FILE: ST describes it */
  int linked;        /* reached through a symbolic link */
  struct stat st;
};

/* The descriptor that P names ("/dev/stdout", "/dev/fd/N",
 * "/proc/self/fd/N"), or -1. */
static int descriptor_alias(const char *p)
{
  if (strcmp(p, "/dev/stdin") == 0)
    return 0;
  if (strcmp(p, "/dev/stdout") == 0)
    return 1;
  if (strcmp(p, "/dev/stderr") == 0)
    return 2;
  const char *n = strncmp(p, "/dev/fd/", 8) == 0          ? p + 8
                  : strncmp(p, "/proc/self/fd/", 14) == 0 ? p + 14
                                                          : NULL;
  if (!n || *n < '0' || *n > '9')
    return -1;
  char *end;
  long v = strtol(n, &end, 10);
  return *end || v > INT_MAX ? -1 : (int)v;
}

/* Follows PATH's symbolic links one at a time (lstat(), never stat(), so
 * that a link is never mistaken for what it points to):
 * - a link into /proc/self/fd or /dev/fd, or /dev/stdout: the descriptor;
 * - anything else in /proc, or a device or FIFO: opened and written
 *   through, once the output is complete;
 * - a regular file, or no file: TARGET_FILE at the end of the links, so
 *   that the temp file is made in the target's directory and renamed over
 *   the target, never over a link (pandoc writes through links, too). */
static int resolve_output(const char *path, struct target *t, emc_error *err)
{
  char *cur = emci_strdup(path);
  memset(t, 0, sizeof *t);
  for (int depth = 0; cur && depth < 40; depth++) {
    int fd = descriptor_alias(cur);
    if (fd >= 0) {
      free(cur);
      t->kind = TARGET_DESCRIPTOR;
      t->fd = fd;
      return EMC_OK;
    }
    t->path = cur;
    if (strncmp(cur, "/proc/", 6) == 0) {
      t->kind = TARGET_OPEN;
      return EMC_OK;
    }
    struct stat st;
    if (lstat(cur, &st) != 0) {
      if (errno == ENOENT) {
        t->kind = TARGET_FILE;
        return EMC_OK;
      }
      int e = errno;
      free(cur);
      t->path = NULL;
      return emc_error_set(err, EMC_EIO, "%s: %s", path, strerror(e));
    }
    if (!S_ISLNK(st.st_mode)) {
      if (S_ISDIR(st.st_mode)) {
        free(cur);
        t->path = NULL;
        return emc_error_set(err, EMC_EIO, "%s: is a directory", path);
      }
      t->kind = S_ISREG(st.st_mode) ? TARGET_FILE : TARGET_OPEN;
      t->exists = 1;
      t->st = st;
      return EMC_OK;
    }
    char link[PATH_MAX + 1];
    ssize_t n = readlink(cur, link, sizeof link - 1);
    if (n < 0) {
      int e = errno;
      free(cur);
      t->path = NULL;
      return emc_error_set(err, EMC_EIO, "%s: %s", path, strerror(e));
    }
    link[n] = '\0';
    const char *slash = strrchr(cur, '/');
    char *next = link[0] == '/' || !slash
                     ? emci_strdup(link)
                     : emci_asprintf("%.*s%s", (int)(slash - cur) + 1, cur, link);
    free(cur);
    t->path = NULL;
    t->linked = 1;
    cur = next;
  }
  if (!cur)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  free(cur);
  return emc_error_set(err, EMC_EIO, "%s: %s", path, strerror(ELOOP));
}

/* Opens PATH (not a regular file we may replace) and writes the whole
 * output through it; a regular file behind it is cut to the new length. */
static int write_through(emc_ctx *ctx, const emc_plugin *w, const emc_doc *doc,
                         const char *path, emc_error *err)
{
  int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return emc_error_set(err, EMC_EIO, "%s: %s", path, strerror(errno));
  int rc = write_buffered(ctx, w, doc, fd, path, err);
  struct stat st;
  if (rc == EMC_OK && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t end = lseek(fd, 0, SEEK_CUR);
    if (end >= 0 && ftruncate(fd, end) != 0)
      rc = emc_error_set(err, EMC_EIO, "%s: %s", path, strerror(errno));
  }
  if (close(fd) != 0 && rc == EMC_OK)
    rc = emc_error_set(err, EMC_EIO, "%s: %s", path, strerror(errno));
  return rc;
}

/* True when a file can be created in PATH's directory. */
static int may_create_beside(const char *path)
{
  const char *slash = strrchr(path, '/');
  char *dir = !slash ? emci_strdup(".")
                     : emci_asprintf("%.*s", slash == path ? 1 : (int)(slash - path), path);
  int ok = dir && faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0;
  free(dir);
  return ok;
}

int emc_write_path(emc_ctx *ctx, const emc_doc *doc, const char *path,
                   const char *to, const char *input_path, emc_error *err)
{
  const emc_plugin *w;
  int rc;
  int is_stdout = strcmp(path, "-") == 0;
  struct target t = { TARGET_DESCRIPTOR, STDOUT_FILENO, NULL, 0, 0, { 0 } };
  if (!is_stdout && (rc = resolve_output(path, &t, err)))
    return rc;
  struct stat ist;
  if (t.kind == TARGET_FILE && t.exists && input_path && strcmp(input_path, "-") != 0 &&
      stat(input_path, &ist) == 0 && ist.st_dev == t.st.st_dev && ist.st_ino == t.st.st_ino) {
    free(t.path);
    return emc_error_set(err, EMC_EINVAL, "%s: refusing to overwrite the input", path);
  }
  if (to)
    rc = emc_registry_find(ctx, to, EMC_ROLE_WRITER, &w, err);
  else if (is_stdout)
    rc = emc_error_set(err, EMC_EINVAL,
                       "cannot tell the output format of standard output (use -t)");
  else
    rc = emc_registry_find_by_extension(ctx, path, EMC_ROLE_WRITER, &w, err);
  if (rc == EMC_OK && t.kind == TARGET_DESCRIPTOR)
    rc = write_buffered(ctx, w, doc, t.fd, is_stdout ? "standard output" : path, err);
  else if (rc == EMC_OK && t.kind == TARGET_OPEN)
    rc = write_through(ctx, w, doc, t.path, err);
  else if (rc == EMC_OK && t.linked && t.exists && !may_create_beside(t.path) &&
           faccessat(AT_FDCWD, t.path, W_OK, AT_EACCESS) == 0)
    /* a link to a file we may write in a directory we may not: through
     * the link, once the output is complete (not atomic, but the link's
     * owner asked for that file) */
    rc = write_through(ctx, w, doc, t.path, err);
  else if (rc == EMC_OK) {
    /* A new file gets the usual 0666 & ~umask; a file replaced keeps its
     * permission bits and, where we may, its owner and group. */
    mode_t mask = umask(0);
    umask(mask);
    mode_t mode = t.exists ? t.st.st_mode & 0777 : 0666 & ~mask;
    rc = write_atomically(ctx, w, doc, t.path, mode, t.exists ? &t.st : NULL, err);
  }
  free(t.path);
  return rc;
}

/* ---------------------------------------------------------------- convert */

static int in_list(const char *const *list, const char *name)
{
  for (; list && *list; list++)
    if (strcmp(*list, name) == 0 || strcmp(*list, "all") == 0)
      return 1;
  return 0;
}

static int run_filter_checked(emc_ctx *ctx, const emc_job *job, const char *name,
                              emc_doc *doc, emc_error *err)
{
  int rc = emc_filter_run(ctx, name, doc, err);
  if (rc == EMC_OK && job->validate_ir && (rc = emc_doc_validate(doc, err)) && err) {
    char *why = err->message;
    err->message = NULL;
    emc_error_set(err, rc, "after filter '%s': %s", name, why ? why : "");
    free(why);
  }
  return rc;
}

/* A catalogue row: the keys of the metadata key table as -M's are; its
 * other columns (a shelfmark, a call number) kept as <field>s, since an
 * archive's spreadsheet holds more than metadata keys. */
static int apply_catalogue_row(emc_doc *doc, const char *const *row, emc_error *err)
{
  size_t n = 0;
  while (row && row[n])
    n++;
  if (!n)
    return EMC_OK;
  const char **known = calloc(n + 1, sizeof *known);
  if (!known)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  size_t k = 0;
  int rc = EMC_OK;
  for (size_t i = 0; i < n && rc == EMC_OK; i++) {
    const char *eq = strchr(row[i], '=');
    char *key = eq ? emci_asprintf("%.*s", (int)(eq - row[i]), row[i]) : NULL;
    if (eq && !key)
      rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
    else if (!eq || emc_meta_key_lookup(key, NULL, NULL))
      known[k++] = row[i];
    else if (emc_doc_meta_set(doc, key, eq[1] ? eq + 1 : NULL))
      rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
    free(key);
  }
  if (rc == EMC_OK)
    rc = emc_doc_meta_apply_pairs(doc, known, "--catalogue", err);
  free(known);
  return rc;
}

/* A metadata file's pairs, then the catalogue row's, then -M's: each a
 * source of its own, so that -M author=X replaces the file's and the row's
 * authors (emc_doc_meta_apply), and a row's replace the file's. */
int emci_apply_metadata(emc_doc *doc, const emc_job *job, emc_error *err)
{
  int rc = emc_doc_meta_apply_pairs(doc, job->file_metadata, "--metadata-file", err);
  if (rc == EMC_OK)
    rc = apply_catalogue_row(doc, job->catalogue, err);
  return rc ? rc : emc_doc_meta_apply_pairs(doc, job->metadata, "-M", err);
}

int emci_run_filters(emc_ctx *ctx, const emc_job *job, emc_doc *doc, emc_error *err)
{
  /* The default chain, minus what was switched off, then -F filters. */
  char *chain = emci_strdup(emc_default_filters());
  if (!chain)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  int rc = EMC_OK;
  char *save = NULL;
  for (char *name = strtok_r(chain, ", ", &save); name && rc == EMC_OK;
       name = strtok_r(NULL, ", ", &save))
    if (!in_list(job->no_filters, name)) {
      emci_progress(ctx, "filtering", name);
      rc = run_filter_checked(ctx, job, name, doc, err);
    }
  free(chain);
  for (const char *const *f = job->filters; rc == EMC_OK && f && *f; f++) {
    emci_progress(ctx, "filtering", *f);
    rc = run_filter_checked(ctx, job, *f, doc, err);
  }
  for (const char *const *c = job->commands; rc == EMC_OK && c && *c; c++) {
    emci_progress(ctx, "filtering", *c);
    rc = emc_filter_run_command(ctx, *c, doc, err);
  }
  return rc;
}

int emc_convert(emc_ctx *ctx, const emc_job *job, emc_error *err)
{
  emc_doc *doc = NULL;
  emci_progress(ctx, "reading", job->input);
  int rc = emc_read_path(ctx, job->input, job->from, &doc, err);
  if (rc) {
    if (err && !err->file)
      emc_error_set_position(err, job->input, 0);
    return rc;
  }
  if (job->validate_ir && (rc = emc_doc_validate(doc, err))) {
    emc_error_set_position(err, job->input, 0);
    goto done;
  }
  /* -M overrides are applied before the filters, so that they see what the
   * user said (the language filter then does not guess the document's
   * language, govtext does not derive a title -M gave), and again after
   * them, so that they win over anything a filter set.  (Not in
   * emci_run_filters: a parallel text's -M is the whole text's, applied
   * after the merge.) */
  if ((rc = emci_apply_metadata(doc, job, err)) == EMC_OK)
    rc = emci_run_filters(ctx, job, doc, err);
  if (rc == EMC_OK)
    rc = emci_apply_metadata(doc, job, err);
  if (rc == EMC_OK && (job->metadata || job->file_metadata || job->catalogue) && job->validate_ir)
    rc = emc_doc_validate(doc, err);
  if (rc == EMC_OK) {
    emci_progress(ctx, "writing", job->output);
    rc = emc_write_path(ctx, doc, job->output, job->to, job->input, err);
  }
done:
  emc_doc_free(doc);
  return rc;
}
