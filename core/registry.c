/* SPDX-License-Identifier: MIT */
/* registry.c - finding, loading and validating plugin modules (libltdl).
 *
 * Modules are opened lazily: a conversion whose formats are known by name
 * or extension opens just those modules (start-up stays in the
 * milliseconds); a full scan of the search path happens only for content
 * probing and listing.  Nothing here is fatal: a file that is not a plugin
 * is skipped (DEBUG), a plugin that fails validation is skipped (WARN).
 */
#include <config.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <emuconv/buf.h>
#include "core-private.h"

/* libltdl has global state: one init for the process, calls serialised. */
static pthread_mutex_t ltdl_lock = PTHREAD_MUTEX_INITIALIZER;
static int ltdl_users;

int emci_ltdl_acquire(void)
{
  pthread_mutex_lock(&ltdl_lock);
  if (ltdl_users == 0 && lt_dlinit() != 0) {
    pthread_mutex_unlock(&ltdl_lock);
    return EMC_ERROR;
  }
  ltdl_users++;
  return EMC_OK; /* lock held: caller must emci_ltdl_release() */
}

void emci_ltdl_release(void)
{
  pthread_mutex_unlock(&ltdl_lock);
}

unsigned emc_plugin_roles(const emc_plugin *p)
{
  return (p->read ? EMC_ROLE_READER : 0u) | (p->write ? EMC_ROLE_WRITER : 0u) |
         (p->filter ? EMC_ROLE_FILTER : 0u);
}

/* libltdl's module names: non-alphanumerics become '_'. */
static int same_canonical_name(const char *a, const char *b)
{
  for (; *a && *b; a++, b++) {
    char ca = isalnum((unsigned char)*a) ? *a : '_';
    char cb = isalnum((unsigned char)*b) ? *b : '_';
    if (ca != cb)
      return 0;
  }
  return *a == *b;
}

static const emci_module *loaded_by_name(const emc_ctx *ctx, const char *name)
{
  for (size_t i = 0; i < ctx->n_modules; i++)
    if (same_canonical_name(ctx->modules[i].plugin->name, name))
      return &ctx->modules[i];
  return NULL;
}

/* Checks a descriptor; returns NULL when fine, else why not. */
static const char *invalid_reason(const emc_plugin *p, const char *modname,
                                  char *buf, size_t bufsize)
{
  if (p->abi_major != EMC_PLUGIN_ABI_MAJOR || p->abi_minor > EMC_PLUGIN_ABI_MINOR) {
    snprintf(buf, bufsize,
             "built for plugin ABI %u.%u, this emuconv supports %u.0 to %u.%u",
             (unsigned)p->abi_major, (unsigned)p->abi_minor,
             (unsigned)EMC_PLUGIN_ABI_MAJOR, (unsigned)EMC_PLUGIN_ABI_MAJOR,
             (unsigned)EMC_PLUGIN_ABI_MINOR);
    return buf;
  }
  if (!p->name || !*p->name)
    return "the descriptor has no name";
  if (modname && !same_canonical_name(p->name, modname)) {
    snprintf(buf, bufsize, "descriptor name '%.64s' differs from the module name '%.64s'",
             p->name, modname);
    return buf;
  }
  if (!emc_plugin_roles(p))
    return "the descriptor has no read, write or filter entry point";
  if (p->read && !p->probe && !(p->extensions && p->extensions[0]))
    return "a reader needs a probe or file extensions";
  return NULL;
}

static int add_module(emc_ctx *ctx, const emc_plugin *p, lt_dlhandle h,
                      const char *path)
{
  if (ctx->n_modules == ctx->cap_modules) {
    size_t cap = ctx->cap_modules ? ctx->cap_modules * 2 : 16;
    emci_module *grown = realloc(ctx->modules, cap * sizeof *grown);
    if (!grown)
      return EMC_ENOMEM;
    ctx->modules = grown;
    ctx->cap_modules = cap;
  }
  char *copy = emci_strdup(path);
  if (!copy)
    return EMC_ENOMEM;
  ctx->modules[ctx->n_modules].plugin = p;
  ctx->modules[ctx->n_modules].handle = h;
  ctx->modules[ctx->n_modules].path = copy;
  ctx->n_modules++;
  return EMC_OK;
}

/* Opens the module at BASE (a path without extension, as libltdl gives it)
 * and registers it.  Returns 1 if registered, 0 if skipped, <0 on ENOMEM.
 * Called with the ltdl lock held. */
static int try_module(emc_ctx *ctx, const char *base)
{
  lt_dladvise advise;
  lt_dlhandle h = NULL;
  if (lt_dladvise_init(&advise) == 0) {
    lt_dladvise_ext(&advise);
    lt_dladvise_local(&advise);
    h = lt_dlopenadvise(base, advise);
    lt_dladvise_destroy(&advise);
  }
  if (!h) {
    emc_ctx_log(ctx, EMC_LOG_DEBUG, "%s: not loadable: %s", base, lt_dlerror());
    return 0;
  }
  const lt_dlinfo *info = lt_dlgetinfo(h);
  const char *modname = info && info->name ? info->name : NULL;
  const char *file = info && info->filename ? info->filename : base;
  for (size_t i = 0; i < ctx->n_modules; i++) {
    if (ctx->modules[i].handle == h) { /* same file reached twice */
      lt_dlclose(h);
      return 0;
    }
  }
  typedef const emc_plugin *(*getter)(void);
  union { void *obj; getter fn; } sym;
  sym.obj = lt_dlsym(h, EMC_PLUGIN_SYMBOL);
  if (!sym.obj) {
    emc_ctx_log(ctx, EMC_LOG_DEBUG, "%s: not an emuconv plugin (no %s)", file,
                EMC_PLUGIN_SYMBOL);
    lt_dlclose(h);
    return 0;
  }
  const emc_plugin *p = sym.fn();
  char why[256];
  const char *reason = p ? invalid_reason(p, modname, why, sizeof why)
                         : "emc_plugin_get() returned NULL";
  if (reason) {
    emc_ctx_log(ctx, EMC_LOG_WARN, "%s: plugin skipped: %s", file, reason);
    lt_dlclose(h);
    return 0;
  }
  const emci_module *dup = loaded_by_name(ctx, p->name);
  if (dup) {
    emc_ctx_log(ctx, EMC_LOG_INFO, "%s: plugin '%s' skipped: %s comes first in the path",
                file, p->name, dup->path);
    lt_dlclose(h);
    return 0;
  }
  if (add_module(ctx, p, h, file)) {
    lt_dlclose(h);
    return EMC_ENOMEM;
  }
  emc_ctx_log(ctx, EMC_LOG_DEBUG, "loaded plugin '%s' from %s", p->name, file);
  return 1;
}

void emci_registry_free(emc_ctx *ctx)
{
  if (ctx->n_modules || ctx->scanned || ctx->n_tried) {
    if (emci_ltdl_acquire() == EMC_OK) {
      for (size_t i = ctx->n_modules; i-- > 0;)
        lt_dlclose(ctx->modules[i].handle);
      emci_ltdl_release();
    }
  }
  for (size_t i = 0; i < ctx->n_modules; i++)
    free(ctx->modules[i].path);
  free(ctx->modules);
  for (size_t i = 0; i < ctx->n_tried; i++)
    free(ctx->tried[i]);
  free(ctx->tried);
  ctx->modules = NULL;
  ctx->n_modules = ctx->cap_modules = ctx->n_tried = 0;
  ctx->tried = NULL;
}

/* Why the plugin directory DIR must not be searched, or NULL.  As ld.so
 * and git do: a relative directory means a different one in every
 * working directory (one an attacker may own), and a directory anyone may
 * write to without the sticky bit lets anyone replace its modules. */
static const char *unsafe_dir(const char *dir)
{
  if (dir[0] != '/')
    return "a relative path";
  struct stat st;
  if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_IWOTH) &&
      !(st.st_mode & S_ISVTX))
    return "writable by anyone (and not sticky)";
  return NULL;
}

/* The plugin path without its unsafe directories, each refused once per
 * context with a message that -v shows.  NULL when out of memory. */
static const char *usable_plugin_path(emc_ctx *ctx)
{
  if (ctx->usable_path)
    return ctx->usable_path;
  char *path = emci_strdup(ctx->plugin_path);
  emc_buf kept = EMC_BUF_INIT;
  int rc = path ? emc_buf_reserve(&kept, strlen(path)) : EMC_ENOMEM;
  char *save = NULL;
  for (char *dir = path ? strtok_r(path, ":", &save) : NULL; dir && rc == EMC_OK;
       dir = strtok_r(NULL, ":", &save)) {
    const char *why = unsafe_dir(dir);
    if (why) {
      emc_ctx_log(ctx, EMC_LOG_INFO, "plugin directory '%s' ignored: %s", dir, why);
      continue;
    }
    if (kept.len)
      rc = emc_buf_append_byte(&kept, ':');
    if (rc == EMC_OK)
      rc = emc_buf_append_str(&kept, dir);
  }
  free(path);
  ctx->usable_path = rc == EMC_OK ? emc_buf_steal(&kept, NULL) : NULL;
  emc_buf_release(&kept);
  return ctx->usable_path;
}

struct scan_state {
  emc_ctx *ctx;
  int rc;
  char last[4096]; /* libltdl lists "x.la" and a directory "x" both as "x" */
};

static int scan_one(const char *filename, void *data)
{
  struct scan_state *st = data;
  if (strcmp(filename, st->last) == 0)
    return 0;
  snprintf(st->last, sizeof st->last, "%s", filename);
  int r = try_module(st->ctx, filename);
  if (r < 0) {
    st->rc = r;
    return 1; /* stop */
  }
  return 0;
}

int emc_registry_scan(emc_ctx *ctx, emc_error *err)
{
  if (ctx->scanned)
    return EMC_OK;
  if (emci_ltdl_acquire() != EMC_OK)
    return emc_error_set(err, EMC_ERROR, "cannot initialise libltdl");
  struct scan_state st = { ctx, EMC_OK, "" };
  /* Directory by directory, so that path order decides duplicates. */
  const char *usable = usable_plugin_path(ctx);
  char *path = usable ? emci_strdup(usable) : NULL;
  if (!path) {
    emci_ltdl_release();
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  char *save = NULL;
  for (char *dir = strtok_r(path, ":", &save); dir && st.rc == EMC_OK;
       dir = strtok_r(NULL, ":", &save)) {
    if (*dir)
      lt_dlforeachfile(dir, scan_one, &st);
  }
  free(path);
  emci_ltdl_release();
  if (st.rc)
    return emc_error_set(err, st.rc, "out of memory while loading plugins");
  ctx->scanned = 1;
  return EMC_OK;
}

size_t emc_registry_count(const emc_ctx *ctx)
{
  return ctx->n_modules;
}

const emc_plugin *emc_registry_at(const emc_ctx *ctx, size_t i,
                                  const char **path)
{
  if (i >= ctx->n_modules)
    return NULL;
  if (path)
    *path = ctx->modules[i].path;
  return ctx->modules[i].plugin;
}

static int was_tried(const emc_ctx *ctx, const char *name)
{
  for (size_t i = 0; i < ctx->n_tried; i++)
    if (strcmp(ctx->tried[i], name) == 0)
      return 1;
  return 0;
}

static void remember_tried(emc_ctx *ctx, const char *name)
{
  char **grown = realloc(ctx->tried, (ctx->n_tried + 1) * sizeof *grown);
  if (!grown)
    return; /* only an optimisation */
  ctx->tried = grown;
  if ((ctx->tried[ctx->n_tried] = emci_strdup(name)))
    ctx->n_tried++;
}

/* Looks for a module file called NAME in each directory of the path,
 * without scanning.  Returns the module or NULL. */
static const emci_module *open_named(emc_ctx *ctx, const char *name)
{
  const emci_module *m = loaded_by_name(ctx, name);
  if (m || ctx->scanned || was_tried(ctx, name))
    return m;
  /* Only plain names: a '/' or '.' would let a format name escape the
   * plugin directories. */
  for (const char *c = name; *c; c++)
    if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
      return NULL;
  const char *usable = usable_plugin_path(ctx);
  if (!usable || emci_ltdl_acquire() != EMC_OK)
    return NULL;
  char *path = emci_strdup(usable);
  char *save = NULL;
  for (char *dir = path ? strtok_r(path, ":", &save) : NULL; dir;
       dir = strtok_r(NULL, ":", &save)) {
    if (!*dir)
      continue;
    char *base = emci_asprintf("%s/%s", dir, name);
    if (!base)
      break;
    int r = try_module(ctx, base);
    free(base);
    if (r != 0)
      break;
  }
  free(path);
  emci_ltdl_release();
  m = loaded_by_name(ctx, name);
  if (!m)
    remember_tried(ctx, name);
  return m;
}

static const char *role_noun(unsigned role)
{
  return role == EMC_ROLE_READER ? "reader"
         : role == EMC_ROLE_WRITER ? "writer"
                                   : "filter";
}

int emc_registry_find(emc_ctx *ctx, const char *name, unsigned role,
                      const emc_plugin **out, emc_error *err)
{
  const emci_module *m = open_named(ctx, name);
  if (!m) { /* the module file may be named otherwise: scan */
    int rc = emc_registry_scan(ctx, err);
    if (rc)
      return rc;
    m = loaded_by_name(ctx, name);
  }
  if (!m)
    return emc_error_set(err, EMC_EFORMAT,
                         "no %s called '%s' (see --list-formats)",
                         role_noun(role), name);
  if (!(emc_plugin_roles(m->plugin) & role))
    return emc_error_set(err, EMC_EFORMAT, "plugin '%s' is not a %s", name,
                         role_noun(role));
  *out = m->plugin;
  return EMC_OK;
}

/* Length of the longest extension of P that FILENAME ends with as
 * ".EXT" (case-insensitively); 0 if none. */
static size_t extension_match(const emc_plugin *p, const char *filename)
{
  size_t best = 0, flen = strlen(filename);
  if (!p->extensions)
    return 0;
  for (const char *const *e = p->extensions; *e; e++) {
    size_t elen = strlen(*e);
    if (elen + 1 >= flen || elen <= best)
      continue;
    const char *tail = filename + flen - elen;
    if (tail[-1] == '.' && strcasecmp(tail, *e) == 0 &&
        tail - 1 > filename && tail[-2] != '/')
      best = elen;
  }
  return best;
}

static const emc_plugin *best_by_extension(const emc_ctx *ctx,
                                           const char *filename,
                                           unsigned role, size_t *len)
{
  const emc_plugin *best = NULL;
  size_t best_len = 0;
  for (size_t i = 0; i < ctx->n_modules; i++) {
    const emc_plugin *p = ctx->modules[i].plugin;
    if (!(emc_plugin_roles(p) & role))
      continue;
    size_t l = extension_match(p, filename);
    if (l > best_len) {
      best = p;
      best_len = l;
    }
  }
  *len = best_len;
  return best;
}

/* The names of the loaded modules with ROLE, sorted, joined by ", " into
 * BUF[SIZE] (cut short, with "...", when they do not fit): what an error
 * about a missing reader or writer offers instead, so that it never
 * suggests a -f or -t value that does not exist. */
static int by_name(const void *a, const void *b)
{
  return strcmp((*(const emc_plugin *const *)a)->name, (*(const emc_plugin *const *)b)->name);
}

static const char *role_names(const emc_ctx *ctx, unsigned role, char *buf, size_t size)
{
  const emc_plugin *some[64];
  size_t n = 0;
  for (size_t i = 0; i < ctx->n_modules && n < sizeof some / sizeof some[0]; i++)
    if (emc_plugin_roles(ctx->modules[i].plugin) & role)
      some[n++] = ctx->modules[i].plugin;
  qsort(some, n, sizeof some[0], by_name);
  size_t at = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    int w = snprintf(buf + at, size - at, "%s%s", i ? ", " : "", some[i]->name);
    if (w < 0 || (size_t)w >= size - at) {
      snprintf(buf + (size > 4 ? size - 4 : 0), size > 4 ? 4 : size, "...");
      break;
    }
    at += (size_t)w;
  }
  if (!n)
    snprintf(buf, size, "none loaded");
  return buf;
}

/* The extension of FILENAME's last component (after its first dot, a
 * leading one aside), NULL when none. */
static const char *file_extension(const char *filename)
{
  const char *base = strrchr(filename, '/');
  base = base ? base + 1 : filename;
  const char *dot = strchr(base, '.');
  while (dot && dot == base) /* hidden files: ".foo.txt" */
    dot = strchr(dot + 1, '.');
  return dot && dot[1] ? dot + 1 : NULL;
}

int emc_registry_find_by_extension(emc_ctx *ctx, const char *filename,
                                   unsigned role, const emc_plugin **out,
                                   emc_error *err)
{
  const char *base = strrchr(filename, '/');
  base = base ? base + 1 : filename;
  const char *dot = strchr(base, '.');
  while (dot && dot == base) /* hidden files: ".foo.txt" */
    dot = strchr(dot + 1, '.');
  if (!dot || !dot[1])
    return emc_error_set(err, EMC_EFORMAT, "%s: no file extension to tell the format by",
                         filename);
  /* Fast path: a module named after each extension component. */
  for (const char *s = dot; s; s = strchr(s + 1, '.')) {
    char guess[64];
    size_t n = strcspn(s + 1, ".");
    if (n == 0 || n >= sizeof guess)
      continue;
    for (size_t i = 0; i < n; i++)
      guess[i] = (char)tolower((unsigned char)s[1 + i]);
    guess[n] = '\0';
    open_named(ctx, guess);
  }
  /* A module that claims some suffix is taken without scanning: the
   * compound extensions in use ("ir.xml", "tei.xml") start with their
   * module's name, and "x.en.txt" must not cost a scan. */
  size_t len;
  const emc_plugin *p = best_by_extension(ctx, filename, role, &len);
  if (!p) {
    int rc = emc_registry_scan(ctx, err);
    if (rc)
      return rc;
    p = best_by_extension(ctx, filename, role, &len);
  }
  char names[256];
  if (!p)
    return emc_error_set(err, EMC_EFORMAT,
                         "%s: no %s for the extension '.%s' (%s names one: %s)", filename,
                         role_noun(role), dot + 1, role == EMC_ROLE_READER ? "-f" : "-t",
                         role_names(ctx, role, names, sizeof names));
  *out = p;
  return EMC_OK;
}

int emc_registry_detect(emc_ctx *ctx, const char *filename,
                        const unsigned char *head, size_t len,
                        const emc_plugin **out, emc_error *err)
{
  int rc = emc_registry_scan(ctx, err);
  if (rc)
    return rc;
  const emc_plugin *best = NULL;
  int best_score = 0;
  size_t best_ext = 0;
  for (size_t i = 0; i < ctx->n_modules; i++) {
    const emc_plugin *p = ctx->modules[i].plugin;
    if (!p->read || !p->probe)
      continue;
    int score = p->probe(head, len);
    if (score <= 0)
      continue;
    if (score > 100)
      score = 100;
    size_t ext = filename ? extension_match(p, filename) : 0;
    if (score > best_score || (score == best_score && ext > best_ext)) {
      best = p;
      best_score = score;
      best_ext = ext;
    }
  }
  if (!best) {
    /* a .epub when no reader takes .epub: -f cannot help, any of the
     * readers would refuse it too */
    char names[256];
    const char *ext = filename ? file_extension(filename) : NULL;
    size_t ext_len;
    if (ext && !best_by_extension(ctx, filename, EMC_ROLE_READER, &ext_len))
      return emc_error_set(err, EMC_EFORMAT,
                           "no reader for the extension '.%s', and the content is none "
                           "emuconv reads (readers: %s)", ext,
                           role_names(ctx, EMC_ROLE_READER, names, sizeof names));
    return emc_error_set(err, EMC_EFORMAT,
                         "cannot tell the input format from its content (-f names the "
                         "reader: %s)", role_names(ctx, EMC_ROLE_READER, names, sizeof names));
  }
  *out = best;
  return EMC_OK;
}
