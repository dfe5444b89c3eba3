/* SPDX-License-Identifier: MIT */
/* tests/unit/catalogue.c - the RFC 4180 CSV parser of --catalogue and the
 * catalogue built on it (core/catalogue.c): quoted fields, embedded
 * newlines and quotes, CRLF, a BOM, the errors; JSON lines; lists; the
 * lookup of a row by the file it names. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "../../core/catalogue.h"
#include "../tap.h"

/* The records of a parse, written out as "LINE:[f1|f2|...]\n". */
static char got[4096];

static int collect(void *user, size_t line, char **fields, const size_t *lens, size_t n)
{
  (void)user;
  size_t len = strlen(got);
  len += (size_t)snprintf(got + len, sizeof got - len, "%zu:[", line);
  for (size_t k = 0; k < n; k++) {
    if (k)
      got[len++] = '|';
    memcpy(got + len, fields[k], lens[k]);
    len += lens[k];
    got[len] = '\0';
    if (strlen(fields[k]) != lens[k])
      return 99;
  }
  snprintf(got + len, sizeof got - len, "]\n");
  return 0;
}

static int parse(const char *csv, size_t len, char **why)
{
  got[0] = '\0';
  return csv_parse(csv, len, collect, NULL, why);
}

static void is_csv(const char *csv, const char *want, const char *name)
{
  char *why = NULL;
  int rc = parse(csv, strlen(csv), &why);
  ok(rc == 0 && strcmp(got, want) == 0, "%s", name);
  if (rc || strcmp(got, want) != 0)
    printf("# rc %d why %s\n# got:\n%s# want:\n%s", rc, why ? why : "-", got, want);
  free(why);
}

static void is_csv_error(const char *csv, const char *want_why, const char *name)
{
  char *why = NULL;
  int rc = parse(csv, strlen(csv), &why);
  ok(rc == -1 && why && strcmp(why, want_why) == 0, "%s", name);
  if (rc != -1 || !why || strcmp(why, want_why) != 0)
    printf("# rc %d why %s\n", rc, why ? why : "(null)");
  free(why);
}

static const char *kv(const struct catalogue_row *row)
{
  static char s[1024];
  s[0] = '\0';
  for (size_t k = 0; row && k < row->n_kv; k++) {
    strcat(s, k ? "|" : "");
    strcat(s, row->kv[k]);
  }
  return s;
}

int main(void)
{
  plan(31);
  is_csv("a,b,c\n1,2,3\n", "1:[a|b|c]\n2:[1|2|3]\n", "plain records");
  is_csv("a,b\r\n1,2\r\n", "1:[a|b]\n2:[1|2]\n", "CRLF line ends");
  is_csv("a,b\r1,2", "1:[a|b]\n2:[1|2]\n", "lone CR, no final line end");
  is_csv("\xEF\xBB\xBF" "file,title\nx,y\n", "1:[file|title]\n2:[x|y]\n", "a BOM is skipped");
  is_csv("\"a,b\",\"c\"\"d\",\"\"\n", "1:[a,b|c\"d|]\n", "quoted: comma, doubled quote, empty");
  is_csv("t\n\"line 1\r\nline 2\nline 3\"\nnext\n", "1:[t]\n2:[line 1\nline 2\nline 3]\n5:[next]\n",
         "embedded line breaks (CRLF made LF); the next record's line counts them");
  is_csv("a,,c,\n", "1:[a||c|]\n", "empty fields, a trailing comma");
  is_csv("a\n\n\r\nb\n", "1:[a]\n4:[b]\n", "blank lines skipped");
  is_csv("ab\"c,d\n", "1:[ab\"c|d]\n", "a quote inside an unquoted field is kept");
  is_csv("", "", "no input: no record");
  is_csv("\"x\"", "1:[x]\n", "a quoted field at the very end");
  is_csv_error("a\n\"open,b\nc\n", "line 2: a quoted field is not closed", "an unclosed quote");
  is_csv_error("\"x\"y,z\n", "line 1: text after a closing quote (a quote inside a quoted "
               "field is written \"\")", "text after a closing quote");
  {
    char nul[] = "a,b\0c\n";
    char *why = NULL;
    got[0] = '\0';
    int rc = csv_parse(nul, sizeof nul - 1, collect, NULL, &why);
    ok(rc == 99, "a NUL in a field: the length says it (rc %d)", rc);
    free(why);
  }

  /* the catalogue */
  char dir[] = "/tmp/emuconv-catalogue.XXXXXX";
  if (!mkdtemp(dir))
    return 1;
  char path[512];
  const char *names[] = { "a.txt", "b.txt", "c.html" };
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    FILE *fp = fopen(path, "w");
    fputs("x\n", fp);
    fclose(fp);
  }
  struct catalogue cat;
  char *why = NULL;
  const char *csv = "File, Title ,author,Author,subject\r\n"
                    "a.txt,\"The A, book\",\"Ann; Bob\",Cy,\"x;y\"\r\n"
                    "*.txt,Glob,,,\r\n"
                    ",,,,\r\n"
                    "gone.txt,Gone,,,\r\n";
  int rc = catalogue_load_memory(&cat, "cat.csv", dir, csv, strlen(csv), 0, &why);
  ok(rc == 0 && cat.n == 3, "a CSV catalogue: three rows (a blank one skipped) (%s)", why ? why : "");
  free(why);
  snprintf(path, sizeof path, "%s/a.txt", dir);
  is_str(kv(catalogue_find(&cat, path)), "title=The A, book|author=Ann|author=Bob|author=Cy|subject=x|subject=y",
         "keys lower-cased and trimmed; lists by ';' and by repeated columns");
  snprintf(path, sizeof path, "%s/./b.txt", dir);
  is_str(kv(catalogue_find(&cat, path)), "title=Glob", "a glob names b.txt; an exact row wins for a.txt");
  snprintf(path, sizeof path, "%s/c.html", dir);
  ok(catalogue_find(&cat, path) == NULL, "a file no row names: none");
  ok(cat.rows[2].n_files == 0 && cat.rows[0].n_files == 1 && cat.rows[1].n_files == 2,
     "files named: a row naming no file has none");
  ok(cat.rows[0].hash != cat.rows[1].hash, "rows' hashes differ");
  catalogue_release(&cat);

  const char *jsonl = "{\"file\": \"c.html\", \"title\": \"C\", \"author\": [\"D; E\", \"F\"], "
                      "\"year\": 1999, \"note\": null}\n\n"
                      "  {\"file\": \"a.txt\", \"rights\": \"CC-BY\"}\n";
  why = NULL;
  rc = catalogue_load_memory(&cat, "cat.jsonl", dir, jsonl, strlen(jsonl), 0, &why);
  ok(rc == 0 && cat.n == 2, "a JSON lines catalogue (%s)", why ? why : "");
  free(why);
  snprintf(path, sizeof path, "%s/c.html", dir);
  is_str(kv(catalogue_find(&cat, path)), "title=C|author=D; E|author=F|year=1999",
         "JSON: arrays are lists, strings kept whole, numbers as text, null nothing");
  ok(cat.rows[1].line == 3, "JSON lines: a row's line");
  catalogue_release(&cat);

  struct {
    const char *text, *why, *name;
    int format;
  } bad[] = {
    { "title,author\nx,y\n", "c.csv:1: the header names no 'file' column (file, path or filename)",
      "no file column", 'c' },
    { "file,title\nx,y,z\n", "c.csv:2: 3 fields, but the header has 2", "too many fields", 'c' },
    { "file,title\n,y\n", "c.csv:2: the row names no file", "a row with no file", 'c' },
    { "file,title\n\"x\n", "c.csv:2: a quoted field is not closed", "the parser's error, named", 'c' },
    { "", "c.csv:1: no header row (file,title,author,...)", "an empty CSV", 'c' },
    { "{\"file\": \"a\"}\n{\"title\": \"x\"}\n", "c.csv:2: the object has no \"file\" (a string)",
      "JSON: no file", 'j' },
    { "{\"file\": \"a\", \"t\": {\"x\": 1}}\n", "c.csv:1: 't': a value is a string, a number or an array of them",
      "JSON: an object value", 'j' },
    { "{\"file\": \"a\"} x\n", "c.csv:1: text after the JSON object", "JSON: trailing text", 'j' },
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    why = NULL;
    rc = catalogue_load_memory(&cat, "c.csv", dir, bad[i].text, strlen(bad[i].text), bad[i].format, &why);
    ok(rc == -1 && why && strcmp(why, bad[i].why) == 0, "refused: %s", bad[i].name);
    if (!(rc == -1 && why && strcmp(why, bad[i].why) == 0))
      printf("# got: %s\n", why ? why : "(null)");
    free(why);
  }
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
  rmdir(dir);
  return done_testing();
}
