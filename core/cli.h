/* SPDX-License-Identifier: MIT */
/* cli.h - what the emuconv program's files share (cli.c): the one table
 * from an EMC_* status to the program's exit status, the one JSON writer
 * (--json listings, the batch report), and the one way a name from the
 * outside (an input path) is shown in a message line.  Internal to the
 * program; never installed.  Owns nothing beyond what each call says. */
#ifndef EMUCONV_CLI_H
#define EMUCONV_CLI_H

#include <stdarg.h>
#include <stdio.h>
#include <emuconv/buf.h>
#include <emuconv/emuconv.h>

/* The program's exit statuses (README "Exit status", doc/emuconv.1). */
enum cli_exit_status {
  CLI_EXIT_OK = 0,
  CLI_EXIT_CONVERSION = 1, /* malformed input, a limit was hit, a writer failed */
  CLI_EXIT_USAGE = 2,      /* bad options, unknown format, format not recognisable */
  CLI_EXIT_IO = 3          /* the input could not be read or the output written */
};

/* The exit status for the EMC_* status RC: the one table. */
int cli_exit_code(int rc);

/* TEXT as a message line shows it: every control byte (and DEL) escaped
 * as \n, \t, \r or \xHH, so that a file name cannot forge lines or drive
 * the terminal (issue 32); printable text, UTF-8 included, unchanged.
 * Returns: (transfer full) a string to free(), NULL only when out of
 * memory. */
char *cli_quote(const char *text);

/* NAME (a file name) as a message shows it when it is very long: over
 * CLI_NAME_MAX characters, its start and end kept around "…" (the end
 * names the file, the start its place), CLI_NAME_MAX characters in all;
 * UTF-8 sequences are not cut.  A name as short is copied.  Returns:
 * (transfer full); exits (status 1) when out of memory. */
#define CLI_NAME_MAX 60
char *cli_short_name(const char *name);

/* The one way the program prints a message line: "emuconv: " (PREFIX),
 * the formatted text through cli_quote(), a newline; on stderr.  Out of
 * memory, the text is printed with its control bytes as '?'. */
void cli_message(const char *prefix, const char *fmt, ...) EMC_PRINTF(2, 3);
void cli_vmessage(const char *prefix, const char *fmt, va_list ap) EMC_PRINTF(2, 0);

/* The JSON writer: appends to an emc_buf, so that a document is built
 * whole and written once.  Each returns EMC_OK or EMC_ENOMEM; a failure
 * sticks in OK (the first error is kept, later calls do nothing), so a
 * caller checks once at the end. */
typedef struct cli_json {
  emc_buf buf;
  int rc;
} cli_json;

#define CLI_JSON_INIT { EMC_BUF_INIT, EMC_OK }

/* S as a JSON string (NULL: null); bytes that are not UTF-8 become
 * U+FFFD, control characters and DEL \uXXXX. */
void cli_json_string(cli_json *j, const char *s);
/* Literal JSON text (punctuation, numbers, true/false). */
void cli_json_raw(cli_json *j, const char *text);
void cli_json_printf(cli_json *j, const char *fmt, ...) EMC_PRINTF(2, 3);
/* A number of bytes, or null when V < 0 (unknown). */
void cli_json_size(cli_json *j, long long v);
/* ["a","b"] from a NULL-terminated list (NULL: []). */
void cli_json_strings(cli_json *j, const char *const *list);
/* Writes the document to FP and releases it.  Returns EMC_OK, EMC_ENOMEM
 * (the document was incomplete) or EMC_EIO. */
int cli_json_flush(cli_json *j, FILE *fp);
void cli_json_release(cli_json *j);

/* The warnings of a run, for --report, --log, --fail-if-warnings and the
 * summary by code (issue 33): each with its file (FILE_INDEX, the batch
 * item, or 0 for a single conversion), its code and its message, in the
 * order they came.  The list owns the strings. */
typedef struct cli_warning {
  size_t file_index;
  char *code, *message;
} cli_warning;
typedef struct cli_warnings {
  cli_warning *v;
  size_t n, cap;
} cli_warnings;
#define CLI_WARNINGS_INIT { NULL, 0, 0 }
/* Appends a copy; exits (status 1) when out of memory. */
void cli_warnings_add(cli_warnings *w, size_t file_index, const char *code, const char *message);
void cli_warnings_release(cli_warnings *w);
/* The count of each code, the known codes first in a fixed order, then the
 * others as they came: "3 derived-title, 1 encoding-fallback" (a new
 * string; "" when there is none).  With JSON set, the same as the members
 * of a JSON object written to JSON instead, and NULL returned. */
char *cli_warnings_summary(const cli_warnings *w, cli_json *json);
/* The --log lines for the warnings of file FILE_INDEX, named NAME:
 * {"file":..., "code":..., "message":...}, one a line. */
void cli_warnings_log(const cli_warnings *w, size_t file_index, const char *name, cli_json *json);
/* A warning's message less a leading "NAME: " (the file is said apart). */
const char *cli_strip_name(const char *message, const char *name);

#endif
