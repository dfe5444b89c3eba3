/* SPDX-License-Identifier: MIT */
/* catalogue.h - --catalogue FILE: each input's metadata from an archive's
 * catalogue (issue 33), a CSV file (RFC 4180, a header row) or JSON lines,
 * one row per input.  The program's (catalogue.c), never installed: the
 * library sees only the "key=value" lists a row becomes (emc_job's
 * catalogue member), applied as -M's are.  A struct catalogue owns
 * everything it points to. */
#ifndef EMUCONV_CATALOGUE_H
#define EMUCONV_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

/* ---- RFC 4180 CSV, the parser on its own (tests/unit/catalogue) ---- */

/* One record: N fields, each NUL-terminated (a field may hold NULs of its
 * own only if the input did; LENS gives each one's length).  LINE: the
 * line the record starts on (1-based).  Return non-zero to stop. */
typedef int (*csv_record_fn)(void *user, size_t line, char **fields, const size_t *lens,
                             size_t n);

/* Parses DATA[LEN] as CSV: fields separated by ',', records by CRLF, LF
 * or a lone CR; a field in double quotes may hold commas, line breaks and
 * "" (one quote); a UTF-8 byte order mark at the start is skipped; blank
 * lines (no byte at all) are skipped; the last record needs no line end.
 * A quote inside an unquoted field is kept as a character (as spreadsheet
 * programs write them).  Returns 0, the callback's non-zero value, or -1
 * with *WHY (malloc'ed) saying what is wrong and on which line: a quoted
 * field not closed, or text after a closing quote. */
int csv_parse(const char *data, size_t len, csv_record_fn fn, void *user, char **why);

/* ---- the catalogue ---- */

struct catalogue_row {
  char *file;        /* the file column, as written: a path relative to the
                        catalogue's directory, an absolute path, or a glob */
  char **kv;         /* "key=value" strings, NULL-terminated */
  size_t n_kv;
  size_t line;       /* where the row starts (CSV line, JSON lines line) */
  uint64_t hash;     /* of the row's kv, for --skip-up-to-date */
  size_t n_files;    /* existing files it names (after the glob) */
};

struct catalogue_file; /* a (device, inode) named by a row, sorted */

struct catalogue {
  char *path;                  /* as given */
  char *dir;                   /* its directory, where the rows' paths start */
  struct catalogue_row *rows;
  size_t n;
  struct catalogue_file *files;
  size_t n_files;
  char **paths;                /* the files the rows name, in row order (a
                                  glob's in name order), each file once */
  size_t n_paths;
};

/* Reads PATH: JSON lines when its name ends in .jsonl, .ndjson or .json,
 * or when its first non-blank byte is '{'; CSV otherwise.  Every row's
 * files are looked up now (globs expanded).  Returns 0, or -1 with *WHY
 * (malloc'ed) saying why ("FILE:LINE: ..."). */
int catalogue_load(struct catalogue *cat, const char *path, char **why);

/* The same from memory, NAME for messages, DIR where paths start; FORMAT
 * 'c' CSV, 'j' JSON lines, 0: guess as catalogue_load() does. */
int catalogue_load_memory(struct catalogue *cat, const char *name, const char *dir,
                          const char *data, size_t len, int format, char **why);

void catalogue_release(struct catalogue *cat);

/* The row that names INPUT (the same file, however the path is written):
 * a row naming it exactly wins over a glob, and the first such over a
 * later one.  NULL when none does (or INPUT does not exist). */
const struct catalogue_row *catalogue_find(const struct catalogue *cat, const char *input);

/* The same for a file that need not exist yet (a collection's output):
 * a row whose path (not a glob) names PATH, compared after resolving
 * both directories. */
const struct catalogue_row *catalogue_find_path(const struct catalogue *cat, const char *path);

/* True when KEY takes several values in one cell, separated by ';'
 * (author, editor, subject, identifier...). */
int catalogue_list_key(const char *key);

#endif
