/* SPDX-License-Identifier: MIT */
/* emuconv.c - the command line program: a thin main() over the library.
 * The only place in emuconv that prints. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <emuconv/emuconv.h>
#include "batch.h"
#include "catalogue.h"
#include "cli.h"
#include "heap.h"

/* The exit statuses: one table, in cli.h. */
#define EXIT_OK CLI_EXIT_OK
#define EXIT_CONVERSION CLI_EXIT_CONVERSION
#define EXIT_USAGE CLI_EXIT_USAGE
#define EXIT_IO CLI_EXIT_IO

static const char *progname = "emuconv";
static int verbosity = 1; /* 0 quiet, 1 normal, 2 verbose, 3 debug */

enum {
  OPT_LIST = 256, OPT_LIST_FILTERS, OPT_JSON, OPT_HELP_FORMAT, OPT_NO_FILTER,
  OPT_COMMAND, OPT_VALIDATE_IR, OPT_MAX_INPUT, OPT_LIMIT, OPT_PLUGIN_DIR,
  OPT_METADATA_FILE, OPT_FRONT_MATTER, OPT_NO_FRONT_MATTER,
  OPT_PLUGIN_BASE = 1000
};
enum { OPT_PARALLEL = OPT_PLUGIN_BASE - 1 }; /* --parallel: the versions of a text */
enum { OPT_COLLECTION_TITLE = OPT_PLUGIN_BASE - 2 }; /* a collection's title */

static const struct option core_options[] = {
  { "from", required_argument, NULL, 'f' },
  { "to", required_argument, NULL, 't' },
  { "output", required_argument, NULL, 'o' },
  BATCH_LONG_OPTIONS
  { "add-filter", required_argument, NULL, 'F' },
  { "no-filter", required_argument, NULL, OPT_NO_FILTER },
  { "filter", required_argument, NULL, OPT_COMMAND },
  { "metadata", required_argument, NULL, 'M' },
  { "metadata-file", required_argument, NULL, OPT_METADATA_FILE },
  { "front-matter", no_argument, NULL, OPT_FRONT_MATTER },
  { "no-front-matter", no_argument, NULL, OPT_NO_FRONT_MATTER },
  { "list-formats", no_argument, NULL, OPT_LIST },
  { "list-filters", no_argument, NULL, OPT_LIST_FILTERS },
  { "json", no_argument, NULL, OPT_JSON },
  { "help-format", required_argument, NULL, OPT_HELP_FORMAT },
  { "validate-ir", no_argument, NULL, OPT_VALIDATE_IR },
  { "max-input-size", required_argument, NULL, OPT_MAX_INPUT },
  { "limit", required_argument, NULL, OPT_LIMIT },
  { "plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR },
  { "parallel", no_argument, NULL, OPT_PARALLEL },
  { "collection-title", required_argument, NULL, OPT_COLLECTION_TITLE },
  { "verbose", no_argument, NULL, 'v' },
  { "quiet", no_argument, NULL, 'q' },
  { "help", no_argument, NULL, 'h' },
  { "version", no_argument, NULL, 'V' },
  { NULL, 0, NULL, 0 }
};
#define N_CORE_OPTIONS (sizeof core_options / sizeof core_options[0] - 1)

static void print_usage(FILE *fp)
{
  fprintf(fp,
"Usage: %s [OPTION]... [INPUT [OUTPUT]]\n"
"  or:  %s [OPTION]... -t FORMAT -O DIR INPUT...   (batch mode)\n"
"  or:  %s --parallel [OPTION]... INPUT INPUT... -o OUTPUT\n"
"  or:  %s [OPTION]... -o OUTPUT INPUT INPUT...   (a collection)\n"
"Convert documents between formats through emuconv's intermediate XML.\n"
"INPUT and OUTPUT may be '-' for standard input/output (the default).\n"
"Formats come from the file extensions, else from the content; -f/-t force them.\n"
"\n"
"  -f, --from=FORMAT        read INPUT as FORMAT\n"
"  -t, --to=FORMAT          write OUTPUT as FORMAT\n"
"  -o, --output=FILE        write to FILE (instead of the second argument)\n"
BATCH_USAGE
"  -F, --add-filter=NAME    run filter module NAME after the default ones\n"
"                           (repeatable)\n"
"      --no-filter=NAME     skip default filter NAME ('all': every one)\n"
"      --filter=COMMAND     run COMMAND (with /bin/sh) as an external filter:\n"
"                           the IR on its stdin, new IR on its stdout\n"
"                           (repeatable; after the filter modules)\n"
"  -M, --metadata=KEY=VALUE set metadata (title, subtitle, author, editor,\n"
"                           subject, keyword, rights, description, series,\n"
"                           series-position, date, created, modified, language,\n"
"                           source, publisher, identifier, isbn, issn, doi,\n"
"                           document-number); repeat list keys (author=A\n"
"                           -M author=B); an empty VALUE removes the key\n"
"      --metadata-file=FILE metadata from a YAML or JSON file of KEY: VALUE\n"
"                           (lists for list keys); -M overrides it\n"
"      --no-front-matter    no title block (title, authors, date, source...)\n"
"                           at the start of the output; --front-matter: one\n"
"                           (the default)\n"
"      --validate-ir        check the intermediate XML against its schema\n"
"                           after reading and after each filter\n"
"      --max-input-size=N   refuse inputs over N bytes (suffix k, M, G;\n"
"                           default 1G)\n"
"      --limit=NAME=N       set a resource limit: input-size, depth, nodes,\n"
"                           zip-entries, entry-size, total-size, ratio,\n"
"                           memory (address space of the conversion, or of\n"
"                           each batch file; sizes take k, M, G)\n"
"      --plugin-dir=DIR     look for plugins in DIR first (repeatable)\n"
"      --parallel           the INPUTs are versions (translations) of one text:\n"
"                           one OUTPUT (given with -o only) holding them all,\n"
"                           their paragraphs aligned by position (refused\n"
"                           when they differ)\n"
"      --collection-title=TITLE  with -o and several INPUTs, which make one\n"
"                           document with a part per INPUT (each with its\n"
"                           own title and metadata): its title (-M gives\n"
"                           the rest of its metadata)\n"
"      --list-formats       list the plugins found and exit\n"
"      --list-filters       list the filter modules found and exit\n"
"      --json               with --list-formats/--list-filters: JSON output\n"
"      --help-format=NAME   describe plugin NAME and its options, and exit\n"
"  -v, --verbose            say more (twice: debug messages)\n"
"  -q, --quiet              print errors only\n"
"  -h, --help               show this help (with the plugins' options) and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Plugins are searched in $EMUCONV_PLUGIN_PATH (':'-separated), then in\n"
"%s.\n"
"Default filters: %s ($EMUCONV_DEFAULT_FILTERS overrides).\n"
"\n"
"Exit status: 0 success; 1 conversion failed (malformed input, a limit\n"
"was hit, a writer failed); 2 usage error, unknown format or unrecognised\n"
"input format; 3 the input could not be read or the output written.\n"
"Batch mode: 0 every input converted; 1 one or more failed; 2 usage error;\n"
"3 the output directory, the list of inputs or the report failed.\n"
"With --fail-if-warnings: 1 also when there was a warning.\n",
          progname, progname, progname, progname, EMUCONV_PLUGIN_DIRS, emc_default_filters());
}

/* A single conversion's warnings (--log, --fail-if-warnings). */
static void record_warning(void *user, const char *code, const char *msg)
{
  cli_warnings_add(user, 0, code, msg);
}

static const char *single_name(const void *data, size_t i)
{
  (void)i;
  return data;
}

static void log_to_stderr(void *user, int level, const char *msg)
{
  (void)user;
  if ((level == EMC_LOG_WARN && verbosity >= 1) ||
      (level == EMC_LOG_INFO && verbosity >= 2) ||
      (level == EMC_LOG_DEBUG && verbosity >= 3))
    cli_message("emuconv: ", "%s%s", level == EMC_LOG_WARN ? "warning: " : "", msg);
}

/* A single conversion's catalogue warnings: shown and recorded. */
static void catalogue_warning(void *user, const char *code, const char *msg)
{
  log_to_stderr(NULL, EMC_LOG_WARN, msg);
  record_warning(user, code, msg);
}

/* The input being converted, quoted (cli_quote()), for the signal
 * handler's message. */
static const char *signal_input = "-";

/* write(2) of a NUL-terminated string: async-signal-safe. */
static void say(const char *s)
{
  ssize_t n = write(STDERR_FILENO, s, strlen(s));
  (void)n;
}

/* SIGINT, SIGTERM, SIGHUP: remove the temporary output, say so in the usual
 * one line, and die of the same signal (the shell sees 128+N). */
static void on_signal(int sig)
{
  emc_temp_files_remove();
  say(progname);
  say(": ");
  say(strcmp(signal_input, "-") == 0 ? "standard input" : signal_input);
  say(sig == SIGINT ? ": interrupted (SIGINT)" : sig == SIGHUP ? ": interrupted (SIGHUP)"
                                                               : ": interrupted (SIGTERM)");
  say("; no output written\n");
  signal(sig, SIG_DFL);
  raise(sig);
}

static int fail(const emc_error *err, int rc)
{
  const char *msg = err->message ? err->message : emc_strerror(rc);
  if (err->file && err->line > 0)
    cli_message("emuconv: ", "%s:%d: %s", err->file, err->line, msg);
  else if (err->file)
    cli_message("emuconv: ", "%s: %s", err->file, msg);
  else
    cli_message("emuconv: ", "%s", msg);
  return cli_exit_code(rc);
}

static int usage_error(const char *fmt, ...) EMC_PRINTF(1, 2);
static int usage_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  cli_vmessage("emuconv: ", fmt, ap);
  va_end(ap);
  fprintf(stderr, "Try '%s --help' for more information.\n", progname);
  return EXIT_USAGE;
}

/* Lists the plugins having one of ROLES, as a table or as JSON. */
static int list_plugins(emc_ctx *ctx, unsigned roles_wanted, int json)
{
  size_t n = emc_registry_count(ctx);
  int first = 1;
  cli_json j = CLI_JSON_INIT;
  if (json)
    cli_json_raw(&j, "[");
  else
    printf("%-16s %-5s %-22s %s\n", "NAME", "ROLES", "EXTENSIONS", "DESCRIPTION / FILE");
  for (size_t i = 0; i < n; i++) {
    const char *path;
    const emc_plugin *p = emc_registry_at(ctx, i, &path);
    unsigned roles = emc_plugin_roles(p);
    if (!(roles & roles_wanted))
      continue;
    char r[4] = { roles & EMC_ROLE_READER ? 'r' : '-', roles & EMC_ROLE_WRITER ? 'w' : '-',
                  roles & EMC_ROLE_FILTER ? 'f' : '-', 0 };
    if (json) {
      cli_json_printf(&j, "%s\n {\"name\":", first ? "" : ",");
      cli_json_string(&j, p->name ? p->name : "");
      cli_json_raw(&j, ",\"version\":");
      cli_json_string(&j, p->version ? p->version : "");
      cli_json_raw(&j, ",\"description\":");
      cli_json_string(&j, p->description ? p->description : "");
      cli_json_printf(&j, ",\"reads\":%s,\"writes\":%s,\"filters\":%s,\"extensions\":",
                      roles & EMC_ROLE_READER ? "true" : "false",
                      roles & EMC_ROLE_WRITER ? "true" : "false",
                      roles & EMC_ROLE_FILTER ? "true" : "false");
      cli_json_strings(&j, p->extensions);
      cli_json_raw(&j, ",\"mime_types\":");
      cli_json_strings(&j, p->mime_types);
      cli_json_printf(&j, ",\"abi\":\"%u.%u\",\"file\":", (unsigned)p->abi_major,
                      (unsigned)p->abi_minor);
      cli_json_string(&j, path ? path : "");
      cli_json_raw(&j, "}");
      first = 0;
      continue;
    }
    char exts[256] = "";
    for (const char *const *e = p->extensions; e && *e; e++) {
      if (exts[0])
        strncat(exts, ",", sizeof exts - strlen(exts) - 1);
      strncat(exts, *e, sizeof exts - strlen(exts) - 1);
    }
    printf("%-16s %-5s %-22s %s\n%-45s from %s\n", p->name, r, exts[0] ? exts : "-",
           p->description ? p->description : "", "", path);
  }
  if (!json)
    return EMC_OK;
  cli_json_raw(&j, "\n]\n");
  return cli_json_flush(&j, stdout);
}

static void print_option(const emc_plugin *p, const emc_option_spec *s, int tag)
{
  char left[64];
  snprintf(left, sizeof left, "--%s%s%s", s->name, s->has_arg ? "=" : "",
           s->has_arg ? (s->arg_name ? s->arg_name : "VALUE") : "");
  if (tag)
    printf("      %-21s [%s] %s\n", left, p->name, s->help ? s->help : "");
  else
    printf("  %-25s %s\n", left, s->help ? s->help : "");
}

/* --help-format NAME: what the plugin is and the options it takes. */
static int help_format(emc_ctx *ctx, const char *name, emc_error *err)
{
  const emc_plugin *p = NULL;
  int rc = emc_registry_scan(ctx, err);
  if (rc)
    return rc;
  for (size_t i = 0; i < emc_registry_count(ctx); i++)
    if (strcmp(emc_registry_at(ctx, i, NULL)->name, name) == 0)
      p = emc_registry_at(ctx, i, NULL);
  if (!p)
    return emc_error_set(err, EMC_EFORMAT, "no plugin called '%s' (see --list-formats)", name);
  unsigned roles = emc_plugin_roles(p);
  printf("%s %s: %s\n", p->name, p->version ? p->version : "", p->description ? p->description : "");
  printf("roles:%s%s%s\n", roles & EMC_ROLE_READER ? " reader" : "",
         roles & EMC_ROLE_WRITER ? " writer" : "", roles & EMC_ROLE_FILTER ? " filter" : "");
  printf("extensions:");
  for (const char *const *e = p->extensions; e && *e; e++)
    printf(" .%s", *e);
  printf("\nMIME types:");
  for (const char *const *e = p->mime_types; e && *e; e++)
    printf(" %s", *e);
  printf("\nplugin ABI: %u.%u\n", (unsigned)p->abi_major, (unsigned)p->abi_minor);
  if (p->options && p->options->name) {
    printf("options:\n");
    for (const emc_option_spec *s = p->options; s->name; s++)
      print_option(p, s, 0);
  } else
    printf("options: none\n");
  return EMC_OK;
}

/* Plugin options, gathered from every plugin for getopt. */
struct plugin_opts {
  struct option *table;  /* core options, then the plugins' */
  const emc_option_spec **specs; /* index i - N_CORE_OPTIONS */
  size_t n;
};

static int gather_plugin_options(emc_ctx *ctx, struct plugin_opts *po)
{
  size_t total = 0, n = emc_registry_count(ctx);
  for (size_t i = 0; i < n; i++)
    for (const emc_option_spec *s = emc_registry_at(ctx, i, NULL)->options; s && s->name; s++)
      total++;
  po->table = calloc(N_CORE_OPTIONS + total + 1, sizeof *po->table);
  po->specs = calloc(total + 1, sizeof *po->specs);
  if (!po->table || !po->specs)
    return -1;
  memcpy(po->table, core_options, N_CORE_OPTIONS * sizeof *po->table);
  po->n = 0;
  for (size_t i = 0; i < n; i++) {
    for (const emc_option_spec *s = emc_registry_at(ctx, i, NULL)->options; s && s->name; s++) {
      int seen = 0;
      for (size_t j = 0; j < N_CORE_OPTIONS + po->n; j++)
        if (strcmp(po->table[j].name, s->name) == 0)
          seen = 1;
      if (seen)
        continue;
      struct option *o = &po->table[N_CORE_OPTIONS + po->n];
      o->name = s->name;
      o->has_arg = s->has_arg ? required_argument : no_argument;
      o->val = OPT_PLUGIN_BASE + (int)po->n;
      po->specs[po->n++] = s;
    }
  }
  return 0;
}

static void print_plugin_options(emc_ctx *ctx)
{
  size_t n = emc_registry_count(ctx);
  int header = 0;
  for (size_t i = 0; i < n; i++) {
    const emc_plugin *p = emc_registry_at(ctx, i, NULL);
    for (const emc_option_spec *s = p->options; s && s->name; s++) {
      if (!header++)
        printf("\nOptions of the plugins found:\n");
      print_option(p, s, 1);
    }
  }
}

/* True when ARGV has a long option the core does not know. */
static int has_foreign_long_option(int argc, char **argv)
{
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0)
      break;
    if (strncmp(a, "--", 2) != 0 || !a[2])
      continue;
    size_t len = strcspn(a + 2, "=");
    int known = 0;
    for (size_t j = 0; j < N_CORE_OPTIONS && !known; j++)
      known = strncmp(core_options[j].name, a + 2, len) == 0; /* prefixes too */
    if (!known)
      return 1;
  }
  return 0;
}

/* getopt_long takes any unambiguous prefix of a long option, so that
 * "--toc in.txt out.epub" became "--toc-depth=in.txt".  Only whole names
 * are accepted: the first argument that is a mere prefix of one is
 * returned (its index), else 0.  The arguments of options that take one
 * are stepped over, so that "-o --toc" stays a file name. */
static int abbreviated_option(int argc, char **argv, const struct option *table,
                              const char **meant)
{
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0)
      break;
    if (a[0] == '-' && a[1] != '-' && a[1]) { /* -o FILE, -vO DIR, -oFILE */
      for (const char *c = a + 1; *c; c++)
        if (strchr("ftoFMOj", *c)) {
          i += !c[1];
          break;
        }
      continue;
    }
    if (strncmp(a, "--", 2) != 0 || !a[2])
      continue;
    size_t len = strcspn(a + 2, "=");
    const struct option *exact = NULL, *prefix = NULL;
    for (const struct option *o = table; o->name; o++)
      if (strncmp(o->name, a + 2, len) == 0) {
        if (o->name[len] == '\0')
          exact = o;
        else
          prefix = o;
      }
    if (!exact && prefix) {
      *meant = prefix->name;
      return i;
    }
    if (exact && exact->has_arg == required_argument && !a[2 + len])
      i++;
  }
  return 0;
}

static int parse_size(const char *s, size_t *out)
{
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *s == '-')
    return -1;
  unsigned long long mul = 1;
  switch (*end) {
  case '\0': break;
  case 'k': case 'K': mul = 1ULL << 10; end++; break;
  case 'm': case 'M': mul = 1ULL << 20; end++; break;
  case 'g': case 'G': mul = 1ULL << 30; end++; break;
  default: return -1;
  }
  if (*end || v > SIZE_MAX / mul)
    return -1;
  *out = (size_t)(v * mul);
  return 0;
}

/* Run from the build tree (not installed): find the freshly built plugins
 * there, after $EMUCONV_PLUGIN_PATH and before the installed ones. */
static void use_build_tree_plugins(void)
{
  char exe[4096];
#ifdef HAVE_PROC_SELF_EXE
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
#else
  ssize_t n = -1; /* no portable way: EMUCONV_PLUGIN_PATH finds them */
#endif
  size_t blen = strlen(EMUCONV_ABS_BUILDDIR);
  if (n <= 0)
    return;
  exe[n] = '\0';
  if (strncmp(exe, EMUCONV_ABS_BUILDDIR, blen) != 0 || exe[blen] != '/' ||
      strchr(exe + blen + 1, '/') != strrchr(exe + blen + 1, '/'))
    return; /* only <builddir>/emuconv and <builddir>/.libs/lt-emuconv */
  const char *env = getenv("EMUCONV_PLUGIN_PATH");
  char path[8192];
  if (env && *env)
    snprintf(path, sizeof path, "%s:%s", env, EMUCONV_BUILD_PLUGIN_DIRS);
  else
    snprintf(path, sizeof path, "%s", EMUCONV_BUILD_PLUGIN_DIRS);
  setenv("EMUCONV_PLUGIN_PATH", path, 1);
}

/* --limit NAME=N */
static int set_limit(emc_limits *l, const char *arg)
{
  static const struct {
    const char *name;
    size_t offset;
  } names[] = {
    { "input-size", offsetof(emc_limits, max_input_bytes) },
    { "depth", offsetof(emc_limits, max_depth) },
    { "nodes", offsetof(emc_limits, max_nodes) },
    { "zip-entries", offsetof(emc_limits, max_zip_entries) },
    { "entry-size", offsetof(emc_limits, max_entry_bytes) },
    { "total-size", offsetof(emc_limits, max_total_bytes) },
    { "ratio", offsetof(emc_limits, max_ratio) },
  };
  const char *eq = strchr(arg, '=');
  size_t value;
  if (!eq || parse_size(eq + 1, &value) != 0 || value == 0)
    return -1;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strlen(names[i].name) == (size_t)(eq - arg) &&
        strncmp(names[i].name, arg, (size_t)(eq - arg)) == 0) {
      *(size_t *)((char *)l + names[i].offset) = value;
      return 0;
    }
  return -1;
}

/* A growable NULL-terminated list of borrowed strings.  Running out of
 * memory sticks in FAILED, checked once the options are parsed: a -F
 * filter, a -M value or a --filter command is never silently dropped. */
struct strlist {
  const char **v;
  size_t n;
  int failed;
};

static int strlist_add(struct strlist *l, const char *s)
{
  const char **grown = l->failed ? NULL : realloc(l->v, (l->n + 2) * sizeof *grown);
  if (!grown) {
    l->failed = 1;
    return -1;
  }
  l->v = grown;
  l->v[l->n++] = s;
  l->v[l->n] = NULL;
  return 0;
}

int main(int argc, char **argv)
{
  struct strlist filters = { 0 }, no_filters = { 0 }, metadata = { 0 }, dirs = { 0 },
                 commands = { 0 }, plugin_settings = { 0 };
  struct catalogue cat;
  memset(&cat, 0, sizeof cat);
  struct plugin_opts po = { 0 };
  struct batch_opts bo = { 0 };
  const char *why = NULL;
  emc_error err = EMC_ERROR_INIT;
  cli_warnings warnings = CLI_WARNINGS_INIT;
  const char *from = NULL, *to = NULL, *output = NULL;
  int list = 0, json = 0, help = 0, validate_ir = 0, parallel = 0, status = EXIT_OK, rc;
  const char *help_name = NULL, *collection_title = NULL;
  char *collection_title_kv = NULL;
  const char *const **part_rows = NULL;
  char *quoted_input = NULL; /* the signal handler's; freed after the handlers are reset */
  char **metadata_file = NULL; /* --metadata-file's key=value pairs */

  use_build_tree_plugins();
  emc_ctx *ctx = emc_ctx_new();
  if (!ctx) {
    fprintf(stderr, "%s: out of memory\n", progname);
    return EXIT_CONVERSION;
  }
  emc_ctx_set_log_handler(ctx, log_to_stderr, NULL);
  emc_limits limits = *emc_ctx_limits(ctx);

  /* Plugin options (--css FILE) are only known after loading the plugins;
   * scan them only when the command line has an option the core lacks. */
  int want_plugins = has_foreign_long_option(argc, argv);
  for (int i = 1; i < argc; i++) /* --plugin-dir must be applied before */
    if (strncmp(argv[i], "--plugin-dir", 12) == 0) {
      const char *d = argv[i][12] == '=' ? argv[i] + 13 : (i + 1 < argc ? argv[i + 1] : NULL);
      if (d)
        strlist_add(&dirs, d);
    }
  for (size_t i = dirs.n; i-- > 0;)
    if (emc_ctx_prepend_plugin_dir(ctx, dirs.v[i]) != EMC_OK)
      dirs.failed = 1; /* reported once the options are parsed */
  if (want_plugins) {
    if ((rc = emc_registry_scan(ctx, &err))) {
      status = fail(&err, rc);
      goto out;
    }
  }
  if (gather_plugin_options(ctx, &po) != 0) {
    fprintf(stderr, "%s: out of memory\n", progname);
    status = EXIT_CONVERSION;
    goto out;
  }

  const char *meant = NULL;
  int c, abbrev = abbreviated_option(argc, argv, po.table, &meant);
  if (abbrev) {
    status = usage_error("unknown option '%s' (long options are not abbreviated: --%s?)",
                         argv[abbrev], meant);
    goto out;
  }
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":f:t:o:F:M:vqhV" BATCH_SHORT_OPTIONS, po.table, NULL)) != -1) {
    switch (c) {
    case 'f': from = optarg; break;
    case 't': to = optarg; break;
    case 'o': output = optarg; break;
    case 'F': strlist_add(&filters, optarg); break;
    case OPT_NO_FILTER: strlist_add(&no_filters, optarg); break;
    case 'M':
      if (!strchr(optarg, '=')) {
        status = usage_error("-M %s: expected KEY=VALUE", optarg);
        goto out;
      }
      {
        /* an unknown key is a usage error at once, not one per batch file */
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(strchr(optarg, '=') - optarg), optarg);
        if (!emc_meta_key_lookup(key, NULL, NULL)) {
          status = usage_error("-M %s: unknown metadata key '%s' (see --help)", optarg, key);
          goto out;
        }
      }
      strlist_add(&metadata, optarg);
      break;
    case OPT_METADATA_FILE:
      if (metadata_file) {
        status = usage_error("--metadata-file given twice");
        goto out;
      }
      if ((rc = emc_meta_file_read(optarg, &metadata_file, &err))) {
        status = fail(&err, rc);
        goto out;
      }
      for (char **kv = metadata_file; *kv; kv++) {
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)strcspn(*kv, "="), *kv);
        if (!emc_meta_key_lookup(key, NULL, NULL)) {
          status = usage_error("--metadata-file %s: unknown metadata key '%s' (see --help)",
                               optarg, key);
          goto out;
        }
      }
      break;
    case OPT_FRONT_MATTER:
    case OPT_NO_FRONT_MATTER:
      if (emc_ctx_set_option(ctx, "front-matter", c == OPT_FRONT_MATTER ? "1" : "0") != EMC_OK) {
        status = fail(&err, emc_error_set(&err, EMC_ENOMEM, "out of memory"));
        goto out;
      }
      break;
    case OPT_LIST: list = EMC_ROLE_READER | EMC_ROLE_WRITER | EMC_ROLE_FILTER; break;
    case OPT_LIST_FILTERS: list = EMC_ROLE_FILTER; break;
    case OPT_JSON: json = 1; break;
    case OPT_HELP_FORMAT: help_name = optarg; break;
    case OPT_COMMAND: strlist_add(&commands, optarg); break;
    case OPT_VALIDATE_IR: validate_ir = 1; break;
    case OPT_MAX_INPUT:
      if (parse_size(optarg, &limits.max_input_bytes) != 0) {
        status = usage_error("--max-input-size: '%s' is not a size", optarg);
        goto out;
      }
      break;
    case OPT_LIMIT:
      if (strncmp(optarg, "memory=", 7) == 0) { /* the process's, not the library's */
        if ((why = batch_option(&bo, BATCH_OPT_MEMORY, optarg + 7))) {
          status = usage_error("%s", why);
          goto out;
        }
      } else if (set_limit(&limits, optarg) != 0) {
        status = usage_error("--limit %s: expected NAME=N with NAME one of input-size, depth, "
                             "nodes, zip-entries, entry-size, total-size, ratio, memory", optarg);
        goto out;
      }
      break;
    case OPT_PLUGIN_DIR: break; /* applied above */
    BATCH_OPTION_CASES:
      if ((why = batch_option(&bo, c, optarg))) {
        status = usage_error("%s", why);
        goto out;
      }
      break;
    case OPT_PARALLEL: parallel = 1; break;
    case OPT_COLLECTION_TITLE: collection_title = optarg; break;
    case 'v': verbosity = verbosity < 3 ? verbosity + 1 : 3; break;
    case 'q': verbosity = 0; break;
    case 'h': help = 1; break;
    case 'V':
      printf("emuconv %s\nplugin ABI %d.%d\n"
             "Copyright (c) 2026 The emuconv authors.\n"
             "License MIT: <https://opensource.org/license/mit>.\n"
             "This is free software: you are free to change and redistribute it.\n"
             "There is NO WARRANTY, to the extent permitted by law.\n",
             emc_version(), EMC_PLUGIN_ABI_MAJOR, EMC_PLUGIN_ABI_MINOR);
      goto out;
    case ':':
      status = usage_error("option '%s' needs an argument", argv[optind - 1]);
      goto out;
    case '?':
      status = usage_error("unknown option '%s'", argv[optind - 1]);
      goto out;
    default:
      if (c >= OPT_PLUGIN_BASE && (size_t)(c - OPT_PLUGIN_BASE) < po.n) {
        const emc_option_spec *s = po.specs[c - OPT_PLUGIN_BASE];
        char *setting = cli_quote(s->name); /* for --skip-up-to-date's stamps */
        if (setting) {
          size_t n = strlen(setting) + strlen(s->has_arg ? optarg : "1") + 2;
          char *kv = realloc(setting, n);
          if (kv) {
            strcat(kv, "=");
            strcat(kv, s->has_arg ? optarg : "1");
            setting = kv;
          }
          strlist_add(&plugin_settings, setting); /* freed at out: */
        }
        if (emc_ctx_set_option(ctx, s->name, s->has_arg ? optarg : "1") != EMC_OK) {
          status = fail(&err, emc_error_set(&err, EMC_ENOMEM, "--%s: out of memory", s->name));
          goto out;
        }
      }
      break;
    }
  }
  emc_ctx_set_limits(ctx, &limits);
  emc_ctx_set_command_timeout(ctx, batch_timeout(&bo));
  bo.plugin_options = plugin_settings.v;
  if (filters.failed || no_filters.failed || metadata.failed || dirs.failed || commands.failed ||
      plugin_settings.failed) {
    status = fail(&err, emc_error_set(&err, EMC_ENOMEM, "out of memory reading the options"));
    goto out;
  }

  if (help) {
    print_usage(stdout);
    if (emc_registry_scan(ctx, &err) == EMC_OK)
      print_plugin_options(ctx);
    goto out;
  }
  if (help_name) {
    if ((rc = help_format(ctx, help_name, &err)))
      status = fail(&err, rc);
    goto out;
  }
  if (list) {
    if ((rc = emc_registry_scan(ctx, &err))) {
      status = fail(&err, rc);
      goto out;
    }
    if ((rc = list_plugins(ctx, (unsigned)list, json)))
      status = fail(&err, emc_error_set(&err, rc, "--json: %s", emc_strerror(rc)));
    goto out;
  }

  /* --no-filter NAME: a name that is no filter is a mistake, as with -F. */
  for (size_t i = 0; i < no_filters.n; i++) {
    const emc_plugin *p;
    if (strcmp(no_filters.v[i], "all") != 0 &&
        emc_registry_find(ctx, no_filters.v[i], EMC_ROLE_FILTER, &p, NULL) != EMC_OK) {
      status = usage_error("--no-filter %s: no filter called '%s' (see --list-filters)",
                           no_filters.v[i], no_filters.v[i]);
      goto out;
    }
  }

  int npos = argc - optind;
  emc_job job = { 0 };
  int batch = batch_wanted(&bo, &why); /* sets WHY whatever else is asked */
  if (!parallel && batch && !output) {
    job = (emc_job){ .from = from, .to = to, .filters = filters.v, .no_filters = no_filters.v,
                     .metadata = metadata.v, .commands = commands.v, .validate_ir = validate_ir,
                     .file_metadata = (const char *const *)metadata_file };
    status = batch_run(ctx, &job, &bo, argv + optind, npos, verbosity, log_to_stderr);
    goto out;
  }
  if (why || (bo.outdir && output)) {
    status = usage_error("%s", why ? why : "-O/--output-dir (batch mode) and -o/--output exclude each other");
    goto out;
  }
  if (parallel && (bo.outdir || npos < 2)) {
    status = usage_error(bo.outdir ? "--parallel and -O/--output-dir (batch mode) exclude each other"
                                   : "--parallel needs two inputs or more (and -o OUTPUT)");
    goto out;
  }
  if (parallel && !output) {
    /* `--parallel a.en.txt a.id.txt out.tei` read out.tei as a third
     * version and failed on a missing file: a missing argument named like
     * a writer's output is taken for a misplaced output and sent to -o. */
    for (int i = optind; i < argc; i++) {
      const emc_plugin *w;
      struct stat st;
      if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) != 0 && errno == ENOENT &&
          emc_registry_find_by_extension(ctx, argv[i], EMC_ROLE_WRITER, &w, NULL) == EMC_OK) {
        status = usage_error("--parallel: '%s' does not exist and looks like an output: "
                             "--parallel takes its output only with -o (-o %s)", argv[i], argv[i]);
        goto out;
      }
    }
  }
  /* -o OUTPUT and several INPUTs: one document, a part per input */
  int collection = !parallel && output && npos >= 2;
  if (collection_title && !collection) {
    status = usage_error("--collection-title needs several INPUTs and -o OUTPUT (a collection)");
    goto out;
  }
  if (!parallel && !collection && npos > 2) {
    status = usage_error("too many arguments ('%s'; several inputs make one document only "
                         "with -o OUTPUT)", argv[argc - 1]);
    goto out;
  }
  if (collection_title) {
    size_t n = strlen(collection_title) + sizeof "title=";
    if (!(collection_title_kv = malloc(n)) || strlist_add(&metadata, collection_title_kv) != 0) {
      status = fail(&err, emc_error_set(&err, EMC_ENOMEM, "out of memory"));
      goto out;
    }
    snprintf(collection_title_kv, n, "title=%s", collection_title);
  }
  job.input = npos >= 1 ? argv[optind] : "-";
  job.output = output ? output : npos == 2 && !parallel ? argv[optind + 1] : "-";
  job.from = from;
  job.to = to;
  job.filters = filters.v;
  job.no_filters = no_filters.v;
  job.metadata = metadata.v;
  job.file_metadata = (const char *const *)metadata_file;
  job.commands = commands.v;
  job.validate_ir = validate_ir;

  quoted_input = cli_quote(job.input);
  signal_input = quoted_input ? quoted_input : "?";
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGHUP, on_signal);
  /* Over `ulimit -f` write() must fail with EFBIG, as on a full disk, so
   * that the temporary output is removed and the error reported; the
   * default SIGXFSZ would kill us and leave the temp file behind. */
  signal(SIGXFSZ, SIG_IGN);
  if (batch_limit_memory(bo.memory_limit) != 0) {
    status = fail(&err, emc_error_set(&err, EMC_ERROR, "--limit memory: %s", strerror(errno)));
    goto out;
  }
  /* EMUCONV_PLAIN_HEAP: malloc's own policy, for the test that compares
   * the tuned heap's outputs with the plain one's (t0540) and for
   * measuring what the tuning earns. */
  if (!parallel && !getenv("EMUCONV_PLAIN_HEAP"))
    heap_prepare(job.input);
  if (bo.catalogue && !parallel && !collection &&
      (status = batch_single_catalogue(&bo, job.input, &job, &cat, catalogue_warning, &warnings)))
    goto out;
  if (bo.catalogue && collection) {
    /* each input's row is its part's; a row naming the output the book's */
    if ((status = batch_catalogue_open(&bo, &cat, catalogue_warning, &warnings)))
      goto out;
    const struct catalogue_row *book = catalogue_find_path(&cat, job.output);
    job.catalogue = book ? (const char *const *)book->kv : NULL;
    if (!(part_rows = calloc((size_t)npos, sizeof *part_rows))) {
      status = fail(&err, emc_error_set(&err, EMC_ENOMEM, "out of memory"));
      goto out;
    }
    for (int i = 0; i < npos; i++) {
      const struct catalogue_row *row = strcmp(argv[optind + i], "-") != 0
                                            ? catalogue_find(&cat, argv[optind + i]) : NULL;
      if (!row && bo.catalogue_required) {
        cli_message("emuconv: ", "%s: not converted: no row in the catalogue %s "
                    "(--catalogue-required)", argv[optind + i], bo.catalogue);
        status = EXIT_CONVERSION;
        goto out;
      }
      part_rows[i] = row ? (const char *const *)row->kv : NULL;
    }
  }
  emc_ctx_set_warning_handler(ctx, record_warning, &warnings);
  struct progress *progress = progress_start(ctx, job.input, verbosity, log_to_stderr);
  rc = parallel     ? emc_convert_parallel(ctx, &job, (const char *const *)argv + optind,
                                           (size_t)npos, &err)
       : collection ? emc_convert_collection(ctx, &job, (const char *const *)argv + optind,
                                             part_rows, (size_t)npos, &err)
                    : emc_convert(ctx, &job, &err);
  progress_stop(progress);
  emc_ctx_set_warning_handler(ctx, NULL, NULL);
  /* A made-up title is no fault of the input, so it is only a note (shown
   * with -v); but the user should hear of it once: the derived-title
   * message, named by the input, as the program's own line. */
  for (size_t i = 0; !rc && verbosity >= 1 && i < warnings.n; i++)
    if (strcmp(warnings.v[i].code, "derived-title") == 0)
      cli_message("emuconv: ", "%s: %s", job.input ? job.input : "-", warnings.v[i].message);
  if (rc)
    status = fail(&err, rc);
  else if (bo.fail_if_warnings && warnings.n > 0)
    status = EXIT_CONVERSION;
  if (bo.log && batch_write_log(bo.log, &warnings, 1, single_name, job.input) != 0 && !rc)
    status = CLI_EXIT_IO;

out:
  if (quoted_input) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal_input = "-";
    free(quoted_input);
  }
  emc_error_release(&err);
  cli_warnings_release(&warnings);
  free(po.table);
  free(po.specs);
  free(filters.v);
  free(no_filters.v);
  free(metadata.v);
  emc_meta_pairs_free(metadata_file);
  free(commands.v);
  free(dirs.v);
  for (size_t i = 0; i < plugin_settings.n; i++)
    free((char *)plugin_settings.v[i]);
  free(plugin_settings.v);
  catalogue_release(&cat);
  free(part_rows);
  free(collection_title_kv);
  emc_ctx_free(ctx);
  if (fflush(stdout) != 0 && status == EXIT_OK)
    status = EXIT_IO;
  return status;
}
