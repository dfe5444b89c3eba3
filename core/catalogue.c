/* SPDX-License-Identifier: MIT */
/* catalogue.c - --catalogue FILE (catalogue.h): an RFC 4180 CSV parser,
 * JSON lines through json-c, and the lookup of the row that names an
 * input by the file it names (device and inode), so that "a/./x.txt",
 * "./a/x.txt" and an absolute path find the same row. */
#include <config.h>
#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include <emuconv/buf.h>
#include <emuconv/emuconv.h>
#include "catalogue.h"

static char *afmt(const char *fmt, ...) EMC_PRINTF(1, 2);
static char *afmt(const char *fmt, ...)
{
  emc_buf b = EMC_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  int rc = emc_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  char *s = rc == EMC_OK ? emc_buf_steal(&b, NULL) : NULL;
  emc_buf_release(&b);
  return s;
}

/* ------------------------------------------------------------ CSV */

/* A record being read: its fields one after another in TEXT, each ended
 * by a NUL; START[i] where field i begins. */
struct csv_record {
  emc_buf text;
  size_t *start, *lens;
  char **fields;
  size_t n, cap;
};

static int record_field_begin(struct csv_record *r)
{
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 16;
    size_t *s = realloc(r->start, cap * sizeof *s);
    if (!s)
      return -1;
    r->start = s;
    size_t *l = realloc(r->lens, cap * sizeof *l);
    if (!l)
      return -1;
    r->lens = l;
    char **f = realloc(r->fields, cap * sizeof *f);
    if (!f)
      return -1;
    r->fields = f;
    r->cap = cap;
  }
  r->start[r->n++] = r->text.len;
  return 0;
}

int csv_parse(const char *data, size_t len, csv_record_fn fn, void *user, char **why)
{
  struct csv_record r = { EMC_BUF_INIT, NULL, NULL, NULL, 0, 0 };
  size_t i = 0, line = 1;
  int rc = 0, nomem = 0;
  *why = NULL;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
#define PUT(c)                                                      \
  do {                                                              \
    if (emc_buf_append(&r.text, &(char){ (c) }, 1) != EMC_OK)          \
      goto out_of_memory;                                           \
  } while (0)
  while (i < len && rc == 0) {
    if (data[i] == '\n' || data[i] == '\r') { /* a blank line */
      i += data[i] == '\r' && i + 1 < len && data[i + 1] == '\n' ? 2 : 1;
      line++;
      continue;
    }
    size_t record_line = line;
    emc_buf_clear(&r.text);
    r.n = 0;
    for (;;) {
      if (record_field_begin(&r) != 0)
        goto out_of_memory;
      if (i < len && data[i] == '"') {
        size_t quote_line = line;
        for (i++;; i++) {
          if (i >= len) {
            *why = afmt("line %zu: a quoted field is not closed", quote_line);
            rc = -1;
            goto done;
          }
          char c = data[i];
          if (c == '"') {
            if (i + 1 < len && data[i + 1] == '"') {
              PUT('"');
              i++;
              continue;
            }
            i++;
            break;
          }
          if (c == '\r') { /* a line break in a cell is one LF, however written */
            if (i + 1 < len && data[i + 1] == '\n')
              i++;
            c = '\n';
          }
          if (c == '\n')
            line++;
          PUT(c);
        }
        if (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r') {
          *why = afmt("line %zu: text after a closing quote (a quote inside a quoted field "
                      "is written \"\")", line);
          rc = -1;
          goto done;
        }
      } else {
        while (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
          PUT(data[i++]);
      }
      PUT('\0');
      if (i < len && data[i] == ',') {
        i++;
        continue;
      }
      break;
    }
    if (i < len) { /* the record's line end */
      i += data[i] == '\r' && i + 1 < len && data[i + 1] == '\n' ? 2 : 1;
      line++;
    }
    for (size_t k = 0; k < r.n; k++) {
      r.fields[k] = r.text.data + r.start[k];
      size_t end = k + 1 < r.n ? r.start[k + 1] : r.text.len;
      r.lens[k] = end - r.start[k] - 1;
    }
    rc = fn(user, record_line, r.fields, r.lens, r.n);
  }
#undef PUT
  goto done;
out_of_memory:
  nomem = 1;
  rc = -1;
done:
  if (nomem && !*why)
    *why = afmt("out of memory");
  emc_buf_release(&r.text);
  free(r.start);
  free(r.lens);
  free(r.fields);
  return rc;
}

/* ------------------------------------------------------------ rows */

/* A key whose cell holds several values separated by ';': the list keys
 * of the metadata key table (core/meta.c), the one table of keys; the rows
 * are applied by emci_apply_metadata() (core/convert.c). */
int catalogue_list_key(const char *key)
{
  int list = 0;
  return emc_meta_key_lookup(key, NULL, &list) && list;
}

static int file_column(const char *key)
{
  return strcmp(key, "file") == 0 || strcmp(key, "path") == 0 || strcmp(key, "filename") == 0;
}

/* The loader's state. */
struct loader {
  struct catalogue *cat;
  const char *name;
  char **keys;       /* CSV: the header's keys, lower-cased and trimmed */
  size_t n_keys;
  size_t file_col;   /* CSV: the file column */
  size_t rows_cap;   /* room in cat->rows */
  char *why;
};

static int fail(struct loader *ld, size_t line, const char *fmt, ...) EMC_PRINTF(3, 4);
static int fail(struct loader *ld, size_t line, const char *fmt, ...)
{
  emc_buf b = EMC_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  emc_buf_printf(&b, "%s:%zu: ", ld->name, line);
  emc_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  free(ld->why);
  ld->why = emc_buf_steal(&b, NULL);
  emc_buf_release(&b);
  return -1;
}

/* S[LEN] less its leading and trailing blanks, as a new string. */
static char *trimmed(const char *s, size_t len)
{
  while (len && isspace((unsigned char)*s))
    s++, len--;
  while (len && isspace((unsigned char)s[len - 1]))
    len--;
  char *t = malloc(len + 1);
  if (t) {
    memcpy(t, s, len);
    t[len] = '\0';
  }
  return t;
}

static struct catalogue_row *new_row(struct loader *ld, size_t line)
{
  struct catalogue *cat = ld->cat;
  if (cat->n == ld->rows_cap) {
    size_t cap = ld->rows_cap ? ld->rows_cap * 2 : 16;
    struct catalogue_row *rows = realloc(cat->rows, cap * sizeof *rows);
    if (!rows)
      return NULL;
    cat->rows = rows;
    ld->rows_cap = cap;
  }
  struct catalogue_row *row = &cat->rows[cat->n++];
  memset(row, 0, sizeof *row);
  row->line = line;
  return row;
}

/* Adds "KEY=VALUE" (VALUE[LEN] trimmed; nothing when it is empty) to ROW. */
static int row_add(struct catalogue_row *row, const char *key, const char *value, size_t len)
{
  char *v = trimmed(value, len);
  if (!v)
    return -1;
  if (!*v) {
    free(v);
    return 0;
  }
  char *kv = afmt("%s=%s", key, v);
  free(v);
  char **grown = kv ? realloc(row->kv, (row->n_kv + 2) * sizeof *grown) : NULL;
  if (!grown) {
    free(kv);
    return -1;
  }
  row->kv = grown;
  row->kv[row->n_kv++] = kv;
  row->kv[row->n_kv] = NULL;
  return 0;
}

/* A cell of KEY: a list key's values are separated by ';'. */
static int row_add_cell(struct catalogue_row *row, const char *key, const char *cell, size_t len)
{
  if (!catalogue_list_key(key))
    return row_add(row, key, cell, len);
  const char *end = cell + len;
  for (const char *p = cell; p <= end;) {
    const char *semi = memchr(p, ';', (size_t)(end - p));
    const char *stop = semi ? semi : end;
    if (row_add(row, key, p, (size_t)(stop - p)) != 0)
      return -1;
    p = stop + 1;
  }
  return 0;
}

static int csv_row(void *user, size_t line, char **fields, const size_t *lens, size_t n)
{
  struct loader *ld = user;
  if (!ld->keys) { /* the header */
    ld->keys = calloc(n + 1, sizeof *ld->keys);
    if (!ld->keys)
      return fail(ld, line, "out of memory");
    ld->n_keys = n;
    ld->file_col = n;
    for (size_t k = 0; k < n; k++) {
      char *key = trimmed(fields[k], lens[k]);
      if (!key)
        return fail(ld, line, "out of memory");
      for (char *c = key; *c; c++)
        *c = (char)tolower((unsigned char)*c);
      ld->keys[k] = key;
      if (strchr(key, '='))
        return fail(ld, line, "column %zu: '%s': a metadata key has no '='", k + 1, key);
      if (ld->file_col == n && file_column(key))
        ld->file_col = k;
    }
    if (ld->file_col == n)
      return fail(ld, line, "the header names no 'file' column (file, path or filename)");
    return 0;
  }
  if (n > ld->n_keys)
    return fail(ld, line, "%zu fields, but the header has %zu", n, ld->n_keys);
  int blank = 1;
  for (size_t k = 0; k < n && blank; k++)
    for (size_t c = 0; c < lens[k] && blank; c++)
      blank = isspace((unsigned char)fields[k][c]) != 0;
  if (blank) /* a spreadsheet's row of empty cells */
    return 0;
  char *file = ld->file_col < n ? trimmed(fields[ld->file_col], lens[ld->file_col]) : NULL;
  if (!file || !*file) {
    free(file);
    return fail(ld, line, "the row names no file");
  }
  struct catalogue_row *row = new_row(ld, line);
  if (!row) {
    free(file);
    return fail(ld, line, "out of memory");
  }
  row->file = file;
  for (size_t k = 0; k < n; k++)
    if (k != ld->file_col && ld->keys[k][0] && !file_column(ld->keys[k]) &&
        row_add_cell(row, ld->keys[k], fields[k], lens[k]) != 0)
      return fail(ld, line, "out of memory");
  return 0;
}

/* A JSON value as metadata text: strings as they are, numbers and
 * booleans as JSON writes them; null: nothing.  Arrays are lists. */
static int json_value(struct loader *ld, size_t line, struct catalogue_row *row, const char *key,
                      json_object *v, int in_array)
{
  switch (json_object_get_type(v)) {
  case json_type_null: return 0;
  case json_type_string:
    return row_add(row, key, json_object_get_string(v), (size_t)json_object_get_string_len(v)) == 0
               ? 0 : fail(ld, line, "out of memory");
  case json_type_boolean:
  case json_type_int:
  case json_type_double: {
    const char *s = json_object_get_string(v);
    return row_add(row, key, s, strlen(s)) == 0 ? 0 : fail(ld, line, "out of memory");
  }
  case json_type_array:
    if (!in_array) {
      for (size_t k = 0; k < json_object_array_length(v); k++)
        if (json_value(ld, line, row, key, json_object_array_get_idx(v, k), 1) != 0)
          return -1;
      return 0;
    }
    /* fall through */
  default:
    return fail(ld, line, "'%s': a value is a string, a number or an array of them", key);
  }
}

static int jsonl_row(struct loader *ld, size_t line, const char *text, size_t len)
{
  json_tokener *tok = json_tokener_new();
  if (!tok)
    return fail(ld, line, "out of memory");
  json_object *obj = json_tokener_parse_ex(tok, text, (int)len);
  enum json_tokener_error e = json_tokener_get_error(tok);
  size_t used = (size_t)json_tokener_get_parse_end(tok);
  json_tokener_free(tok);
  int rc = 0;
  if (!obj || e != json_tokener_success)
    rc = fail(ld, line, "not JSON: %s", json_tokener_error_desc(e == json_tokener_continue
                                                                    ? json_tokener_error_parse_eof
                                                                    : e));
  else if (json_object_get_type(obj) != json_type_object)
    rc = fail(ld, line, "a line is one JSON object");
  for (size_t k = used; rc == 0 && k < len; k++)
    if (!isspace((unsigned char)text[k]))
      rc = fail(ld, line, "text after the JSON object");
  const char *file = NULL;
  if (rc == 0) {
    json_object_object_foreach(obj, key, val) {
      if (!file && file_column(key) && json_object_get_type(val) == json_type_string)
        file = json_object_get_string(val);
    }
  }
  if (rc == 0 && (!file || !*file))
    rc = fail(ld, line, "the object has no \"file\" (a string)");
  struct catalogue_row *row = rc == 0 ? new_row(ld, line) : NULL;
  if (rc == 0 && (!row || !(row->file = trimmed(file, strlen(file)))))
    rc = fail(ld, line, "out of memory");
  if (rc == 0) {
    json_object_object_foreach(obj, key, val) {
      if (file_column(key))
        continue;
      if (strchr(key, '=') || !*key) {
        rc = fail(ld, line, "'%s': not a metadata key", key);
        break;
      }
      if ((rc = json_value(ld, line, row, key, val, 0)) != 0)
        break;
    }
  }
  json_object_put(obj);
  return rc;
}

static int jsonl_parse(struct loader *ld, const char *data, size_t len)
{
  size_t line = 1;
  for (size_t i = 0; i < len; line++) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - data) : len;
    size_t k = i;
    while (k < end && isspace((unsigned char)data[k]))
      k++;
    if (k < end && jsonl_row(ld, line, data + i, end - i) != 0)
      return -1;
    i = end + 1;
  }
  return 0;
}

/* ------------------------------------------------------------ files */

struct catalogue_file {
  dev_t dev;
  ino_t ino;
  size_t row;
  int glob;     /* named by a glob, not exactly */
  size_t order; /* its place in the rows' order */
  char *path;   /* as found; moved to cat->paths or freed */
};

static int add_file(struct catalogue *cat, size_t *cap, const char *path, size_t row, int glob)
{
  struct stat st;
  if (stat(path, &st) != 0 || S_ISDIR(st.st_mode))
    return 0;
  if (cat->n_files == *cap) {
    *cap = *cap ? *cap * 2 : 64;
    struct catalogue_file *f = realloc(cat->files, *cap * sizeof *f);
    if (!f)
      return -1;
    cat->files = f;
  }
  char *copy = afmt("%s", path);
  if (!copy)
    return -1;
  cat->files[cat->n_files] = (struct catalogue_file){ st.st_dev, st.st_ino, row, glob,
                                                      cat->n_files, copy };
  cat->n_files++;
  cat->rows[row].n_files++;
  return 0;
}

static int cmp_file(const void *a, const void *b)
{
  const struct catalogue_file *x = a, *y = b;
  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  if (x->ino != y->ino)
    return x->ino < y->ino ? -1 : 1;
  if (x->glob != y->glob)
    return x->glob - y->glob; /* exact first */
  return (x->row > y->row) - (x->row < y->row);
}

static const struct catalogue_file *sort_files; /* for cmp_first_order */
static int cmp_first_order(const void *a, const void *b)
{
  size_t x = sort_files[*(const size_t *)a].order, y = sort_files[*(const size_t *)b].order;
  return (x > y) - (x < y);
}

static int resolve_files(struct catalogue *cat)
{
  size_t cap = 0;
  for (size_t r = 0; r < cat->n; r++) {
    const char *file = cat->rows[r].file;
    char *path = file[0] == '/' || strcmp(cat->dir, ".") == 0 ? afmt("%s", file)
                                                               : afmt("%s/%s", cat->dir, file);
    if (!path)
      return -1;
    int rc = 0;
    if (strpbrk(file, "*?[")) {
      glob_t g;
      if (glob(path, 0, NULL, &g) == 0)
        for (size_t k = 0; k < g.gl_pathc && rc == 0; k++)
          rc = add_file(cat, &cap, g.gl_pathv[k], r, 1);
      globfree(&g);
    } else
      rc = add_file(cat, &cap, path, r, 0);
    free(path);
    if (rc)
      return -1;
  }
  /* each file once, in the rows' order of first mention */
  cat->paths = calloc(cat->n_files + 1, sizeof *cat->paths);
  if (!cat->paths)
    return -1;
  if (cat->n_files)
    qsort(cat->files, cat->n_files, sizeof *cat->files, cmp_file);
  /* after the sort by file, the first of each run of one (dev, ino) is the
   * row that wins; the rows' order of first mentions is each run's least
   * ORDER */
  size_t *first = calloc(cat->n_files + 1, sizeof *first);
  if (!first)
    return -1;
  size_t n_first = 0;
  for (size_t k = 0; k < cat->n_files; k++) {
    if (k == 0 || cat->files[k].dev != cat->files[k - 1].dev ||
        cat->files[k].ino != cat->files[k - 1].ino)
      first[n_first++] = k;
    else if (cat->files[k].order < cat->files[first[n_first - 1]].order) {
      /* an earlier mention of the same file: its path and place */
      char *p = cat->files[first[n_first - 1]].path;
      size_t o = cat->files[first[n_first - 1]].order;
      cat->files[first[n_first - 1]].path = cat->files[k].path;
      cat->files[first[n_first - 1]].order = cat->files[k].order;
      cat->files[k].path = p;
      cat->files[k].order = o;
    }
  }
  sort_files = cat->files;
  qsort(first, n_first, sizeof *first, cmp_first_order);
  for (size_t k = 0; k < n_first; k++) {
    cat->paths[k] = cat->files[first[k]].path;
    cat->files[first[k]].path = NULL;
  }
  cat->n_paths = n_first;
  free(first);
  for (size_t k = 0; k < cat->n_files; k++) {
    free(cat->files[k].path);
    cat->files[k].path = NULL;
  }
  return 0;
}

static uint64_t row_hash(const struct catalogue_row *row)
{
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  for (size_t k = 0; k < row->n_kv; k++)
    for (const unsigned char *p = (const unsigned char *)row->kv[k];; p++) {
      h = (h ^ *p) * 1099511628211ULL;
      if (!*p)
        break;
    }
  return h;
}

static int ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

int catalogue_load_memory(struct catalogue *cat, const char *name, const char *dir,
                          const char *data, size_t len, int format, char **why)
{
  memset(cat, 0, sizeof *cat);
  *why = NULL;
  cat->path = afmt("%s", name);
  cat->dir = afmt("%s", dir);
  if (!cat->path || !cat->dir) {
    catalogue_release(cat);
    *why = afmt("out of memory");
    return -1;
  }
  if (!format) {
    size_t k = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (k < len && isspace((unsigned char)data[k]))
      k++;
    format = ends_with(name, ".jsonl") || ends_with(name, ".ndjson") || ends_with(name, ".json") ||
                     (k < len && data[k] == '{')
                 ? 'j'
                 : 'c';
  }
  struct loader ld = { cat, name, NULL, 0, 0, 0, NULL };
  int rc;
  if (format == 'j')
    rc = jsonl_parse(&ld, data, len);
  else {
    char *csv_why = NULL;
    rc = csv_parse(data, len, csv_row, &ld, &csv_why);
    if (rc && csv_why && !ld.why)
      ld.why = strncmp(csv_why, "line ", 5) == 0 ? afmt("%s:%s", name, csv_why + 5)
                                                 : afmt("%s: %s", name, csv_why);
    free(csv_why);
    if (rc == 0 && !ld.keys)
      rc = fail(&ld, 1, "no header row (file,title,author,...)");
  }
  for (size_t k = 0; k < ld.n_keys; k++)
    free(ld.keys[k]);
  free(ld.keys);
  if (rc == 0) {
    for (size_t r = 0; r < cat->n; r++)
      cat->rows[r].hash = row_hash(&cat->rows[r]);
    if (resolve_files(cat) != 0)
      rc = fail(&ld, 0, "out of memory");
  }
  if (rc) {
    *why = ld.why ? ld.why : afmt("%s: cannot be read", name);
    catalogue_release(cat);
    return -1;
  }
  free(ld.why);
  return 0;
}

int catalogue_load(struct catalogue *cat, const char *path, char **why)
{
  FILE *fp = fopen(path, "rb");
  emc_buf b = EMC_BUF_INIT;
  char chunk[65536];
  size_t n;
  int bad = !fp;
  while (!bad && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    bad = emc_buf_append(&b, chunk, n) != EMC_OK;
  if (fp && ferror(fp))
    bad = 1;
  int e = errno;
  if (fp)
    fclose(fp);
  if (bad) {
    emc_buf_release(&b);
    *why = afmt("%s: cannot read the catalogue: %s", path, strerror(e));
    return -1;
  }
  const char *slash = strrchr(path, '/');
  char *dir = !slash ? afmt(".") : afmt("%.*s", slash == path ? 1 : (int)(slash - path), path);
  int rc = dir ? catalogue_load_memory(cat, path, dir, b.data ? b.data : "", b.len, 0, why) : -1;
  if (!dir)
    *why = afmt("out of memory");
  free(dir);
  emc_buf_release(&b);
  return rc;
}

void catalogue_release(struct catalogue *cat)
{
  for (size_t r = 0; r < cat->n; r++) {
    free(cat->rows[r].file);
    for (size_t k = 0; k < cat->rows[r].n_kv; k++)
      free(cat->rows[r].kv[k]);
    free(cat->rows[r].kv);
  }
  free(cat->rows);
  for (size_t k = 0; k < cat->n_files; k++)
    free(cat->files[k].path);
  free(cat->files);
  for (size_t k = 0; k < cat->n_paths; k++)
    free(cat->paths[k]);
  free(cat->paths);
  free(cat->path);
  free(cat->dir);
  memset(cat, 0, sizeof *cat);
}

const struct catalogue_row *catalogue_find(const struct catalogue *cat, const char *input)
{
  struct stat st;
  if (!cat || cat->n_files == 0 || stat(input, &st) != 0)
    return NULL;
  size_t lo = 0, hi = cat->n_files;
  while (lo < hi) { /* the first entry not below (dev, ino) */
    size_t mid = lo + (hi - lo) / 2;
    const struct catalogue_file *f = &cat->files[mid];
    if (f->dev < st.st_dev || (f->dev == st.st_dev && f->ino < st.st_ino))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < cat->n_files && cat->files[lo].dev == st.st_dev && cat->files[lo].ino == st.st_ino)
    return &cat->rows[cat->files[lo].row];
  return NULL;
}

/* PATH with its directory resolved (realpath) and its name kept: a file
 * that need not exist compared by where it would be.  NULL when the
 * directory does not resolve. */
static char *where(const char *path)
{
  const char *slash = strrchr(path, '/');
  char *dir = !slash ? afmt(".") : afmt("%.*s", slash == path ? 1 : (int)(slash - path), path);
  char resolved[PATH_MAX];
  char *r = dir && realpath(dir, resolved) ? afmt("%s/%s", resolved, slash ? slash + 1 : path)
                                          : NULL;
  free(dir);
  return r;
}

const struct catalogue_row *catalogue_find_path(const struct catalogue *cat, const char *path)
{
  const struct catalogue_row *row = catalogue_find(cat, path);
  if (row || !cat)
    return row;
  char *want = where(path);
  for (size_t r = 0; want && r < cat->n && !row; r++) {
    const char *file = cat->rows[r].file;
    if (strpbrk(file, "*?["))
      continue;
    char *p = file[0] == '/' ? afmt("%s", file) : afmt("%s/%s", cat->dir, file);
    char *w = p ? where(p) : NULL;
    if (w && strcmp(w, want) == 0)
      row = &cat->rows[r];
    free(w);
    free(p);
  }
  free(want);
  return row;
}
