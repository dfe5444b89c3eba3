/* SPDX-License-Identifier: MIT */
/* emuconv/error.h - error codes and the caller-owned error record.
 *
 * Every emuconv function that can fail returns an int: 0 (EMC_OK) on
 * success, a negative EMC_E* code on failure.  Details go into an emc_error
 * that the *caller* owns (the libzip zip_error_t / libxml2 xmlError model):
 * libraries and plugins never print, exit() or abort(); only the command
 * line program prints.
 */
#ifndef EMUCONV_ERROR_H
#define EMUCONV_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum emc_status {
  EMC_OK = 0,
  EMC_ERROR = -1,     /* unspecified failure */
  EMC_ENOMEM = -2,    /* out of memory */
  EMC_EINVAL = -3,    /* bad argument or option value (a usage error) */
  EMC_EIO = -4,       /* reading or writing a file failed */
  EMC_EPARSE = -5,    /* the input is malformed */
  EMC_EFORMAT = -6,   /* no plugin for the requested or detected format */
  EMC_EABI = -7,      /* a plugin was built for an ABI this core lacks */
  EMC_ELIMIT = -8,    /* a size, depth or count limit was exceeded */
  EMC_ENOTSUP = -9,   /* the input uses something this plugin cannot do */
  EMC_EENCODING = -10 /* the input's bytes are not in a usable encoding */
};

#if defined(__GNUC__)
#define EMC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define EMC_PRINTF(f, a)
#endif

/* A caller-allocated error record.  Initialise with emc_error_init() (or
 * EMC_ERROR_INIT), release with emc_error_release().  All strings are owned
 * by the record (malloc'ed). */
typedef struct emc_error {
  int code;      /* EMC_E*, or EMC_OK when nothing failed */
  char *message; /* human-readable, one line, no trailing newline; may be NULL */
  char *file;    /* input the error is about, when known; may be NULL */
  int line;      /* 1-based line in that input, 0 when unknown */
} emc_error;

#define EMC_ERROR_INIT { EMC_OK, NULL, NULL, 0 }

void emc_error_init(emc_error *err);

/* Records CODE and a printf-style message in ERR (replacing what it held)
 * and returns CODE, so that `return emc_error_set(err, EMC_EPARSE, ...)`
 * works.  ERR may be NULL: then only CODE is returned. */
int emc_error_set(emc_error *err, int code, const char *fmt, ...)
    EMC_PRINTF(3, 4);

/* Records the input position the error is about (FILE copied; LINE 0 if
 * unknown).  Does not change code or message. */
void emc_error_set_position(emc_error *err, const char *file, int line);

/* Frees the strings and resets ERR to EMC_OK.  Safe on an initialised or
 * already released record. */
void emc_error_release(emc_error *err);

/* A static English description of CODE ("malformed input", ...). */
const char *emc_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
