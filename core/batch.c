/* batch.c - the command line's batch mode: many inputs into one output
 * directory, converted by -j worker processes (forked, so a crash is only
 * the failure of the file being converted), each taking one file after
 * another; a progress bar when stderr is a terminal, a summary line, a
 * JSON report.  And the progress line of a single long conversion (a
 * timer thread).
 *
 * Worker protocol: the parent sends a file's index on the worker's order
 * pipe; the worker writes lines to its report pipe: "L<text>" for each log
 * line it would have printed, then "R<rc> <user> <sys>\t<error line>" once
 * converted.  A worker that closes its report pipe with a file unanswered
 * has died; its wait status says how. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "batch.h"
#include "heap.h"

static const char *progname = "emuconv";

/* The CLI's exit statuses (see emuconv.c). */
static int exit_code_for(int rc)
{
  switch (rc) {
  case EMC_OK: return 0;
  case EMC_EINVAL:
  case EMC_EFORMAT: return 2;
  case EMC_EIO: return 3;
  default: return 1;
  }
}

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int term_width(void)
{
  struct winsize ws;
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
    return ws.ws_col;
  return 80;
}

/* Writes LINE (no newline) over the current terminal line, cut to fit. */
static void draw_line(const char *line)
{
  int w = term_width() - 1;
  fprintf(stderr, "\r%.*s\033[K", w, line);
  fflush(stderr);
}

static void clear_line(void)
{
  fputs("\r\033[K", stderr);
  fflush(stderr);
}

static char *xstrdup(const char *s)
{
  char *d = strdup(s);
  if (!d) {
    fprintf(stderr, "%s: out of memory\n", progname);
    exit(1);
  }
  return d;
}

static void *xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    fprintf(stderr, "%s: out of memory\n", progname);
    exit(1);
  }
  return q;
}

/* "FILE:LINE: message", as the CLI prints errors (without "emuconv: "). */
static char *error_text(const emc_error *err, int rc, const char *input)
{
  const char *msg = err->message ? err->message : emc_strerror(rc);
  const char *file = err->file ? err->file : input;
  size_t n = strlen(file) + strlen(msg) + 32;
  char *s = xrealloc(NULL, n);
  if (err->file && err->line > 0)
    snprintf(s, n, "%s:%d: %s", file, err->line, msg);
  else
    snprintf(s, n, "%s: %s", file, msg);
  for (char *c = s; *c; c++)
    if (*c == '\n' || *c == '\r')
      *c = ' ';
  return s;
}

/* ------------------------------------------------------------ options */

const char *batch_option(struct batch_opts *bo, int c, const char *arg)
{
  switch (c) {
  case 'O': bo->outdir = arg; break;
  case '0': bo->null_separated = 1; break;
  case BATCH_OPT_FILES_FROM: bo->files_from = arg; break;
  case BATCH_OPT_REPORT: bo->report = arg; bo->report_given = 1; break;
  case 'j': {
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < 1 || v > 1024)
      return "-j/--jobs: expected a number of jobs from 1 to 1024";
    bo->jobs = v;
    bo->jobs_given = 1;
    break;
  }
  default: return "unknown batch option";
  }
  return NULL;
}

int batch_wanted(const struct batch_opts *bo, const char **why)
{
  *why = NULL;
  if (bo->outdir)
    return 1;
  if (bo->files_from)
    *why = "--files-from needs -O/--output-dir DIR (batch mode)";
  else if (bo->jobs_given)
    *why = "-j/--jobs needs -O/--output-dir DIR (batch mode)";
  else if (bo->report_given)
    *why = "--report needs -O/--output-dir DIR (batch mode)";
  else if (bo->null_separated)
    *why = "-0/--null needs --files-from";
  return 0;
}

/* ------------------------------------------------------------ the items */

enum { ITEM_PENDING, ITEM_RUNNING, ITEM_OK, ITEM_FAILED };

struct item {
  char *input, *output; /* owned */
  int state;
  int exit_status;      /* what a single conversion would have returned */
  int signal;           /* the worker died of this signal */
  char *error;          /* the one-line error, without "emuconv: " */
  double wall, user, sys;
  long long in_bytes, out_bytes; /* -1: unknown */
};

struct batch {
  struct item *items;
  size_t n, cap;
  size_t done, failed;
  double start;
  int bar;              /* draw the progress bar */
  int bar_drawn;
  double last_draw;
  int verbosity;
};

static void add_item(struct batch *b, const char *input)
{
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 64;
    b->items = xrealloc(b->items, b->cap * sizeof *b->items);
  }
  struct item *it = &b->items[b->n++];
  memset(it, 0, sizeof *it);
  it->input = xstrdup(input);
  it->in_bytes = it->out_bytes = -1;
}

/* Reads the names in FP (NUL- or newline-separated; empty ones skipped). */
static int read_list(struct batch *b, FILE *fp, int delim)
{
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getdelim(&line, &cap, delim, fp)) >= 0) {
    if (len > 0 && line[len - 1] == delim)
      line[--len] = '\0';
    if (len > 0)
      add_item(b, line);
  }
  int bad = ferror(fp);
  free(line);
  return bad ? -1 : 0;
}

/* DIR/NAME.EXT for INPUT: its file name, the last extension replaced. */
static char *output_name(const char *dir, const char *input, const char *ext)
{
  size_t len = strlen(input);
  while (len > 1 && input[len - 1] == '/')
    len--;
  const char *base = input;
  for (size_t i = 0; i < len; i++)
    if (input[i] == '/' && i + 1 < len)
      base = input + i + 1;
  size_t blen = (size_t)(input + len - base);
  for (size_t i = blen; i-- > 1;)
    if (base[i] == '.') {
      blen = i;
      break;
    }
  size_t dlen = strlen(dir);
  while (dlen > 1 && dir[dlen - 1] == '/')
    dlen--;
  size_t n = dlen + blen + strlen(ext) + 3;
  char *out = xrealloc(NULL, n);
  snprintf(out, n, "%.*s%s%.*s.%s", (int)dlen, dir, dir[dlen - 1] == '/' ? "" : "/", (int)blen,
           base, ext);
  return out;
}

static struct item *sort_items; /* for cmp_output */
static int cmp_output(const void *a, const void *b)
{
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  int c = strcmp(sort_items[i].output, sort_items[j].output);
  return c ? c : (i > j) - (i < j);
}

/* Two inputs that would write the same output: the first (in input
 * order) is converted, the others fail without touching it. */
static void mark_collisions(struct batch *b)
{
  size_t *order = xrealloc(NULL, b->n * sizeof *order);
  for (size_t i = 0; i < b->n; i++)
    order[i] = i;
  sort_items = b->items;
  qsort(order, b->n, sizeof *order, cmp_output);
  for (size_t k = 1; k < b->n; k++) {
    struct item *first = &b->items[order[k - 1]], *it = &b->items[order[k]];
    if (strcmp(first->output, it->output) != 0)
      continue;
    size_t f = k - 1;
    while (f > 0 && strcmp(b->items[order[f - 1]].output, it->output) == 0)
      f--;
    first = &b->items[order[f]];
#define COLLISION "%s: not converted: its output %s is the output of %s"
#define TWICE "%s: not converted: listed twice"
    size_t n = sizeof COLLISION + strlen(it->input) + strlen(it->output) + strlen(first->input);
    it->error = xrealloc(NULL, n);
    if (strcmp(it->input, first->input) == 0)
      snprintf(it->error, n, TWICE, it->input);
    else
      snprintf(it->error, n, COLLISION, it->input, it->output, first->input);
    it->state = ITEM_FAILED;
    it->exit_status = 1;
  }
  free(order);
}

/* ------------------------------------------------------------ display */

static void draw_bar(struct batch *b, double t)
{
  size_t total = b->n, done = b->done;
  double el = t - b->start;
  double rate = el > 0 ? (double)done / el : 0;
  char eta[32] = "--:--";
  if (rate > 0 && done < total) {
    long s = (long)((double)(total - done) / rate + 0.5);
    if (s >= 3600)
      snprintf(eta, sizeof eta, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
      snprintf(eta, sizeof eta, "%ld:%02ld", s / 60, s % 60);
  }
  enum { W = 24 };
  char bar[W + 1];
  size_t fill = total ? done * W / total : W;
  for (size_t i = 0; i < W; i++)
    bar[i] = i < fill ? '#' : '.';
  bar[W] = '\0';
  char line[256];
  snprintf(line, sizeof line, "[%s] %zu/%zu  %zu failed  %.1f files/s  ETA %s", bar, done, total,
           b->failed, rate, eta);
  draw_line(line);
  b->bar_drawn = 1;
  b->last_draw = t;
}

/* Prints a message line on stderr, around the progress bar. */
static void say(struct batch *b, const char *fmt, ...) EMC_PRINTF(2, 3);
static void say(struct batch *b, const char *fmt, ...)
{
  va_list ap;
  if (b->bar_drawn) {
    clear_line();
    b->bar_drawn = 0;
  }
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fflush(stderr);
}

/* ------------------------------------------------------------ workers */

/* A worker is a process forked from this one that converts the files it is
 * sent, one after another, until its order pipe is closed.  The fork, the
 * copy-on-write page faults that follow it and the plugins' first use are
 * paid once per worker, not once per file: on a small file they are most
 * of its cost.  A worker that dies fails the file it was converting (and
 * only that one) and is replaced; so is a worker whose file failed, since
 * a failure (a resource limit, say) may have left it large.
 *
 * Protocol: the parent writes an item's index and a newline on the order
 * pipe; the worker converts it and answers on its report pipe as the
 * header of this file says, the R line being "R<rc> <user> <sys>\t<error>"
 * (the conversion's CPU seconds, its own and its children's). */
#define NO_ITEM SIZE_MAX

struct worker {
  pid_t pid;       /* 0: the slot is empty */
  int fd;          /* its reports (read end) */
  int orders;      /* its orders (write end); -1 once retired */
  size_t item;     /* the file being converted, NO_ITEM when idle */
  double start;    /* when that file was sent */
  double user, sys; /* CPU seconds its finished files reported */
  char *buf;       /* report bytes not yet a whole line */
  size_t len, cap;
};

static volatile sig_atomic_t stop_signal;
static void on_stop(int sig)
{
  stop_signal = sig;
}

static void worker_on_signal(int sig)
{
  const char *tmp = emc_pending_temp_path();
  if (tmp)
    unlink(tmp);
  signal(sig, SIG_DFL);
  raise(sig);
}

static int write_all(int fd, const char *s, size_t n)
{
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

struct worker_log {
  int fd, verbosity;
};

/* Sends a line TAG+TEXT, new lines in TEXT made spaces. */
static void send_line(int fd, char tag, const char *text)
{
  size_t n = strlen(text);
  char *s = xrealloc(NULL, n + 3);
  s[0] = tag;
  memcpy(s + 1, text, n);
  for (size_t i = 1; i <= n; i++)
    if (s[i] == '\n')
      s[i] = ' ';
  s[n + 1] = '\n';
  s[n + 2] = '\0';
  write_all(fd, s, n + 2);
  free(s);
}

static void worker_log_fn(void *user, int level, const char *msg)
{
  struct worker_log *wl = user;
  if ((level == EMC_LOG_WARN && wl->verbosity >= 1) || (level == EMC_LOG_INFO && wl->verbosity >= 2) ||
      (level == EMC_LOG_DEBUG && wl->verbosity >= 3)) {
    size_t n = strlen(progname) + strlen(msg) + 16;
    char *line = xrealloc(NULL, n);
    snprintf(line, n, "%s: %s%s", progname, level == EMC_LOG_WARN ? "warning: " : "", msg);
    send_line(wl->fd, 'L', line);
    free(line);
  }
}

/* In the worker: the next order from FD, an item's index.  Returns 0, or
 * -1 when there is none (the pipe closed, or garbage). */
static int read_order(int fd, size_t *index)
{
  char line[32];
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fd, line + n, 1);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return -1;
    if (line[n] == '\n')
      break;
    if (++n == sizeof line)
      return -1;
  }
  line[n] = '\0';
  char *end;
  errno = 0;
  unsigned long long v = strtoull(line, &end, 10);
  if (errno || end == line || *end)
    return -1;
  *index = (size_t)v;
  return 0;
}

static double cpu_seconds(const struct timeval *tv)
{
  return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/* The CPU seconds (user, system) of this process and its reaped children. */
static void cpu_now(double *user, double *sys)
{
  struct rusage self, children;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  *user = cpu_seconds(&self.ru_utime) + cpu_seconds(&children.ru_utime);
  *sys = cpu_seconds(&self.ru_stime) + cpu_seconds(&children.ru_stime);
}

/* In the worker: convert the items ordered on ORDERS, report on FD, exit
 * when the orders end. */
static void worker_main(emc_ctx *ctx, const emc_job *template, const struct item *items,
                        size_t nitems, int orders, int fd, int verbosity)
{
  static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    signal(sigs[i], worker_on_signal);
  signal(SIGPIPE, SIG_DFL); /* the parent ignores it; external filters must not */
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) {
    dup2(devnull, STDIN_FILENO);
    close(devnull);
  }
  heap_keep_freed(); /* for the next file: see heap.h */
  struct worker_log wl = { fd, verbosity };
  emc_ctx_set_log_handler(ctx, worker_log_fn, &wl);
  emc_ctx_set_progress_handler(ctx, NULL, NULL);
  size_t i;
  while (read_order(orders, &i) == 0 && i < nitems) {
    const struct item *it = &items[i];
    double user0, sys0, user1, sys1;
    cpu_now(&user0, &sys0);
    emc_job job = *template;
    job.input = it->input;
    job.output = it->output;
    emc_error err = EMC_ERROR_INIT;
    int rc = emc_convert(ctx, &job, &err);
    cpu_now(&user1, &sys1);
    char head[96];
    snprintf(head, sizeof head, "%d %.6f %.6f\t", rc, user1 - user0, sys1 - sys0);
    char *text = rc ? error_text(&err, rc, it->input) : xstrdup("");
    char *line = xrealloc(NULL, strlen(head) + strlen(text) + 1);
    strcpy(line, head);
    strcat(line, text);
    send_line(fd, 'R', line);
    free(line);
    free(text);
    emc_error_release(&err);
  }
  _exit(0);
}

/* Starts a worker in the empty slot W. */
static int spawn(struct batch *b, struct worker *w, emc_ctx *ctx, const emc_job *template,
                 struct worker *all, size_t nall)
{
  int rep[2], ord[2];
  if (pipe(rep) != 0)
    return -1;
  if (pipe(ord) != 0) {
    close(rep[0]);
    close(rep[1]);
    return -1;
  }
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(rep[0]);
    close(rep[1]);
    close(ord[0]);
    close(ord[1]);
    errno = e;
    return -1;
  }
  if (pid == 0) {
    close(rep[0]);
    close(ord[1]);
    for (size_t k = 0; k < nall; k++)
      if (all[k].pid > 0) {
        close(all[k].fd);
        if (all[k].orders >= 0)
          close(all[k].orders);
      }
    /* an external filter's process must not hold them open */
    fcntl(rep[1], F_SETFD, FD_CLOEXEC);
    fcntl(ord[0], F_SETFD, FD_CLOEXEC);
    worker_main(ctx, template, b->items, b->n, ord[0], rep[1], b->verbosity);
  }
  close(rep[1]);
  close(ord[0]);
  fcntl(rep[0], F_SETFD, FD_CLOEXEC);
  fcntl(ord[1], F_SETFD, FD_CLOEXEC);
  w->pid = pid;
  w->fd = rep[0];
  w->orders = ord[1];
  w->item = NO_ITEM;
  w->user = w->sys = 0;
  w->len = 0;
  return 0;
}

/* Sends item I to the idle worker W.  Returns -1 when it cannot take it
 * (it has died: its end of the pipe is closed). */
static int dispatch(struct batch *b, struct worker *w, size_t i)
{
  char line[32];
  int n = snprintf(line, sizeof line, "%zu\n", i);
  if (write_all(w->orders, line, (size_t)n) != 0)
    return -1;
  w->item = i;
  w->start = now();
  b->items[i].state = ITEM_RUNNING;
  return 0;
}

/* No more orders for W: it exits when it has read them all. */
static void retire(struct worker *w)
{
  if (w->orders >= 0) {
    close(w->orders);
    w->orders = -1;
  }
}

static long long file_size(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
}

/* Records that IT failed (ERROR: its one-line error, taken) and says so. */
static void item_failed(struct batch *b, struct item *it, int exit_status, char *error)
{
  it->state = ITEM_FAILED;
  it->exit_status = exit_status;
  free(it->error);
  it->error = error ? error : xstrdup(it->input);
  say(b, "%s: %s\n", progname, it->error);
  b->failed++;
  b->done++;
}

/* W's R line (REPORT: what follows the R): its file is done. */
static void item_done(struct batch *b, struct worker *w, const char *report)
{
  struct item *it = &b->items[w->item];
  int rc = 1;
  double user = 0, sys = 0;
  sscanf(report, "%d %lf %lf", &rc, &user, &sys);
  const char *tab = strchr(report, '\t');
  it->wall = now() - w->start;
  it->user = user;
  it->sys = sys;
  w->user += user;
  w->sys += sys;
  it->in_bytes = file_size(it->input);
  w->item = NO_ITEM;
  if (rc == 0) {
    it->state = ITEM_OK;
    it->out_bytes = file_size(it->output);
    b->done++;
    if (b->verbosity >= 2)
      say(b, "%s: %s -> %s\n", progname, it->input, it->output);
    return;
  }
  item_failed(b, it, exit_code_for(rc), tab && tab[1] ? xstrdup(tab + 1) : NULL);
  retire(w); /* a fresh worker for the next file */
}

/* W's report lines received so far: the L lines printed, an R line ends
 * its file.  A partial last line stays in the buffer. */
static void read_reports(struct batch *b, struct worker *w)
{
  char *p = w->buf, *end = w->buf + w->len;
  for (char *nl; p < end && (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1) {
    *nl = '\0';
    if (*p == 'L')
      say(b, "%s\n", p + 1);
    else if (*p == 'R' && w->item != NO_ITEM)
      item_done(b, w, p + 1);
  }
  w->len = (size_t)(end - p);
  memmove(w->buf, p, w->len);
}

/* W has closed its report pipe: reap it; the file it was converting, if
 * any, failed. */
static void worker_gone(struct batch *b, struct worker *w)
{
  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  while (wait4(w->pid, &status, 0, &ru) < 0 && errno == EINTR)
    ;
  if (w->item != NO_ITEM) {
    struct item *it = &b->items[w->item];
    it->wall = now() - w->start;
    /* what the worker used less what its finished files reported */
    it->user = cpu_seconds(&ru.ru_utime) - w->user;
    it->sys = cpu_seconds(&ru.ru_stime) - w->sys;
    it->user = it->user > 0 ? it->user : 0;
    it->sys = it->sys > 0 ? it->sys : 0;
    it->in_bytes = file_size(it->input);
    char msg[128];
    if (WIFSIGNALED(status)) {
      it->signal = WTERMSIG(status);
      snprintf(msg, sizeof msg, "conversion crashed (signal %d, %s)", it->signal,
               strsignal(it->signal));
    } else
      snprintf(msg, sizeof msg, "conversion ended without a result (exit status %d)",
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    size_t n = strlen(it->input) + strlen(msg) + 3;
    char *error = xrealloc(NULL, n);
    snprintf(error, n, "%s: %s", it->input, msg);
    item_failed(b, it, 1, error);
  }
  close(w->fd);
  retire(w);
  w->pid = 0;
  w->item = NO_ITEM;
}

/* ------------------------------------------------------------ report */

/* A JSON string; bytes that are not UTF-8 become U+FFFD. */
static void json_str(FILE *fp, const char *s)
{
  if (!s) {
    fputs("null", fp);
    return;
  }
  const unsigned char *u = (const unsigned char *)s;
  putc('"', fp);
  while (*u) {
    unsigned c = *u;
    if (c == '"' || c == '\\') {
      fprintf(fp, "\\%c", c);
      u++;
    } else if (c < 0x20 || c == 0x7f) {
      fprintf(fp, "\\u%04x", c);
      u++;
    } else if (c < 0x80) {
      putc((int)c, fp);
      u++;
    } else {
      size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
      unsigned cp = n == 4 ? c & 7 : n == 3 ? c & 15 : c & 31;
      size_t k = 1;
      for (; n && k < n && (u[k] & 0xc0) == 0x80; k++)
        cp = cp << 6 | (u[k] & 0x3f);
      int ok = n && k == n && !(n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) &&
               !(n == 4 && (cp < 0x10000 || cp > 0x10ffff));
      if (ok) {
        fwrite(u, 1, n, fp);
        u += n;
      } else {
        fputs("\\ufffd", fp);
        u++;
      }
    }
  }
  putc('"', fp);
}

static void json_size(FILE *fp, long long v)
{
  if (v < 0)
    fputs("null", fp);
  else
    fprintf(fp, "%lld", v);
}

static void write_report_to(FILE *fp, const struct batch *b, const struct batch_opts *bo,
                            const char *to, long jobs, double wall)
{
  fprintf(fp, "{\n  \"emuconv\": ");
  json_str(fp, emc_version());
  fprintf(fp, ",\n  \"to\": ");
  json_str(fp, to);
  fprintf(fp, ",\n  \"output_dir\": ");
  json_str(fp, bo->outdir);
  fprintf(fp, ",\n  \"jobs\": %ld,\n  \"total\": %zu,\n  \"converted\": %zu,\n  \"failed\": %zu,\n"
              "  \"wall_seconds\": %.6f,\n  \"files\": [",
          jobs, b->n, b->n - b->failed, b->failed, wall);
  for (size_t i = 0; i < b->n; i++) {
    const struct item *it = &b->items[i];
    fprintf(fp, "%s\n    {\"input\": ", i ? "," : "");
    json_str(fp, it->input);
    fprintf(fp, ", \"output\": ");
    json_str(fp, it->state == ITEM_OK ? it->output : NULL);
    fprintf(fp, ", \"status\": \"%s\", \"exit_status\": %d, \"error\": ",
            it->state == ITEM_OK ? "converted" : "failed", it->exit_status);
    json_str(fp, it->error);
    fprintf(fp, ", \"signal\": ");
    if (it->signal)
      fprintf(fp, "%d", it->signal);
    else
      fputs("null", fp);
    fprintf(fp, ", \"input_bytes\": ");
    json_size(fp, it->in_bytes);
    fprintf(fp, ", \"output_bytes\": ");
    json_size(fp, it->out_bytes);
    fprintf(fp, ", \"wall_seconds\": %.6f, \"user_seconds\": %.6f, \"system_seconds\": %.6f}",
            it->wall, it->user, it->sys);
  }
  fprintf(fp, "\n  ]\n}\n");
}

/* Writes the report atomically (temporary file renamed into place). */
static int write_report(const struct batch *b, const struct batch_opts *bo, const char *to,
                        long jobs, double wall)
{
  const char *path = bo->report;
  if (strcmp(path, "-") == 0) {
    write_report_to(stdout, b, bo, to, jobs, wall);
    return fflush(stdout) == 0 ? 0 : -1;
  }
  size_t n = strlen(path) + 16;
  char *tmp = xrealloc(NULL, n);
  snprintf(tmp, n, "%s.XXXXXX", path);
  int fd = mkstemp(tmp);
  FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!fp) {
    fprintf(stderr, "%s: %s: cannot write the report: %s\n", progname, path, strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(tmp);
    }
    free(tmp);
    return -1;
  }
  mode_t mask = umask(0);
  umask(mask);
  (void)fchmod(fd, 0666 & ~mask);
  write_report_to(fp, b, bo, to, jobs, wall);
  int bad = ferror(fp);
  if (fclose(fp) != 0)
    bad = 1;
  if (bad || rename(tmp, path) != 0) {
    fprintf(stderr, "%s: %s: cannot write the report: %s\n", progname, path, strerror(errno));
    unlink(tmp);
    free(tmp);
    return -1;
  }
  free(tmp);
  return 0;
}

/* ------------------------------------------------------------ batch_run */

static int prepare_outdir(const char *dir)
{
  struct stat st;
  if (stat(dir, &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return 0;
    fprintf(stderr, "%s: %s: the output directory is not a directory\n", progname, dir);
    return -1;
  }
  if (errno == ENOENT && mkdir(dir, 0777) == 0)
    return 0;
  fprintf(stderr, "%s: %s: cannot create the output directory: %s\n", progname, dir,
          strerror(errno));
  return -1;
}

int batch_run(emc_ctx *ctx, const emc_job *template, const struct batch_opts *bo, char **argv,
              int argc, int verbosity, emc_log_fn log_fn)
{
  struct batch b;
  memset(&b, 0, sizeof b);
  b.verbosity = verbosity;
  int status = 0, stdin_list = 0;
  emc_error err = EMC_ERROR_INIT;
  const emc_plugin *writer = NULL;

  if (!template->to) {
    fprintf(stderr, "%s: batch mode (-O) needs the output format: -t FORMAT\n"
                    "Try '%s --help' for more information.\n", progname, progname);
    return 2;
  }
  int rc = emc_registry_find(ctx, template->to, EMC_ROLE_WRITER, &writer, &err);
  if (rc) {
    fprintf(stderr, "%s: %s\n", progname, err.message ? err.message : emc_strerror(rc));
    emc_error_release(&err);
    return exit_code_for(rc);
  }
  /* The other modules are loaded by each worker when its first file
   * needs them, once for all the files it converts. */
  emc_ctx_set_log_handler(ctx, log_fn, NULL);
  const char *ext = writer->extensions && writer->extensions[0] ? writer->extensions[0]
                                                                  : writer->name;

  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "-") == 0)
      stdin_list = 1;
    else
      add_item(&b, argv[i]);
  }
  const char *lists[2] = { stdin_list ? "-" : NULL, bo->files_from };
  for (int l = 0; l < 2; l++) {
    if (!lists[l] || (l == 1 && stdin_list && strcmp(lists[l], "-") == 0))
      continue;
    int from_stdin = strcmp(lists[l], "-") == 0;
    FILE *fp = from_stdin ? stdin : fopen(lists[l], "r");
    if (!fp || read_list(&b, fp, bo->null_separated ? '\0' : '\n') != 0) {
      fprintf(stderr, "%s: %s: cannot read the list of inputs: %s\n", progname,
              from_stdin ? "standard input" : lists[l], strerror(errno));
      if (fp && !from_stdin)
        fclose(fp);
      status = 3;
      goto out;
    }
    if (!from_stdin)
      fclose(fp);
  }
  if (b.n == 0 && argc == 0 && !bo->files_from) {
    fprintf(stderr, "%s: batch mode (-O) needs input files (or --files-from)\n"
                    "Try '%s --help' for more information.\n", progname, progname);
    status = 2;
    goto out;
  }
  if (prepare_outdir(bo->outdir) != 0) {
    status = 3;
    goto out;
  }
  for (size_t i = 0; i < b.n; i++)
    b.items[i].output = output_name(bo->outdir, b.items[i].input, ext);
  mark_collisions(&b);

  long jobs = bo->jobs;
  if (jobs <= 0) {
    jobs = sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
      jobs = 1;
  }
  b.bar = verbosity >= 1 && isatty(STDERR_FILENO);
  b.start = now();

  struct worker *workers = xrealloc(NULL, (size_t)jobs * sizeof *workers);
  struct pollfd *pfd = xrealloc(NULL, (size_t)jobs * sizeof *pfd);
  memset(workers, 0, (size_t)jobs * sizeof *workers);
  struct sigaction sa, old[3], old_pipe;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
  for (int s = 0; s < 3; s++)
    sigaction(sigs[s], &sa, &old[s]);
  /* an order to a worker that has just died fails with EPIPE instead */
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, &old_pipe);

  size_t next = 0, alive = 0;
  for (;;) {
    if (stop_signal)
      break;
    /* the next file to convert: collisions count as done at once */
    while (next < b.n && b.items[next].state == ITEM_FAILED) {
      say(&b, "%s: %s\n", progname, b.items[next].error);
      b.failed++;
      b.done++;
      next++;
    }
    int gave = 0;
    for (long k = 0; k < jobs && next < b.n && !gave; k++) {
      struct worker *w = &workers[k];
      if (w->pid > 0 && w->orders >= 0 && w->item == NO_ITEM) {
        if (dispatch(&b, w, next) == 0)
          next++, gave = 1;
        else
          retire(w); /* it is dying: it is reaped below */
      }
    }
    for (long k = 0; k < jobs && next < b.n && !gave; k++) {
      if (workers[k].pid > 0)
        continue;
      if (spawn(&b, &workers[k], ctx, template, workers, (size_t)jobs) != 0) {
        if (alive > 0)
          break; /* retry when one finishes */
        struct item *it = &b.items[next++];
        size_t n = strlen(it->input) + 64;
        char *error = xrealloc(NULL, n);
        snprintf(error, n, "%s: cannot start a worker: %s", it->input, strerror(errno));
        item_failed(&b, it, 1, error);
        gave = 1;
        continue;
      }
      alive++;
      if (dispatch(&b, &workers[k], next) == 0)
        next++;
      else
        retire(&workers[k]);
      gave = 1;
    }
    if (gave)
      continue; /* past the collisions to the next file, if any */
    if (next == b.n) /* nothing left to send: the idle workers may go */
      for (long k = 0; k < jobs; k++)
        if (workers[k].pid > 0 && workers[k].item == NO_ITEM)
          retire(&workers[k]);
    if (alive == 0)
      break;
    size_t np = 0;
    for (long k = 0; k < jobs; k++)
      if (workers[k].pid > 0) {
        pfd[np].fd = workers[k].fd;
        pfd[np].events = POLLIN;
        pfd[np].revents = 0;
        np++;
      }
    double t = now();
    if (b.bar && t - b.last_draw >= 0.1)
      draw_bar(&b, t);
    int r = poll(pfd, np, b.bar ? 100 : -1);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      fprintf(stderr, "%s: poll: %s\n", progname, strerror(errno));
      stop_signal = SIGTERM;
      break;
    }
    for (long k = 0; k < jobs; k++) {
      struct worker *w = &workers[k];
      if (w->pid <= 0)
        continue;
      size_t j;
      for (j = 0; j < np && pfd[j].fd != w->fd; j++)
        ;
      if (j == np || !pfd[j].revents)
        continue;
      if (w->cap - w->len < 4096) {
        w->cap = w->cap ? w->cap * 2 : 8192;
        w->buf = xrealloc(w->buf, w->cap);
      }
      ssize_t got = read(w->fd, w->buf + w->len, w->cap - w->len);
      if (got < 0 && errno == EINTR)
        continue;
      if (got > 0) {
        w->len += (size_t)got;
        read_reports(&b, w);
        continue;
      }
      worker_gone(&b, w);
      alive--;
    }
  }
  double wall = now() - b.start;
  if (stop_signal) {
    for (long k = 0; k < jobs; k++)
      if (workers[k].pid > 0)
        kill(workers[k].pid, SIGTERM);
    for (long k = 0; k < jobs; k++)
      if (workers[k].pid > 0) {
        while (waitpid(workers[k].pid, NULL, 0) < 0 && errno == EINTR)
          ;
        close(workers[k].fd);
        retire(&workers[k]);
      }
  }
  if (b.bar_drawn)
    clear_line();
  for (int s = 0; s < 3; s++)
    sigaction(sigs[s], &old[s], NULL);
  sigaction(SIGPIPE, &old_pipe, NULL);
  for (long k = 0; k < jobs; k++)
    free(workers[k].buf);
  free(workers);
  free(pfd);
  if (stop_signal) {
    fprintf(stderr, "%s: interrupted: %zu of %zu converted\n", progname, b.done - b.failed, b.n);
    signal(stop_signal, SIG_DFL);
    raise(stop_signal);
    status = 128 + stop_signal;
    goto out;
  }
  if (b.failed)
    status = 1;
  if (bo->report && write_report(&b, bo, template->to, jobs, wall) != 0)
    status = 3;
  if (verbosity >= 1)
    fprintf(stderr, "%s: %zu converted, %zu failed, %.1f s\n", progname, b.n - b.failed, b.failed,
            wall);
out:
  for (size_t i = 0; i < b.n; i++) {
    free(b.items[i].input);
    free(b.items[i].output);
    free(b.items[i].error);
  }
  free(b.items);
  return status;
}

/* ------------------------------------------------------------ progress */

struct progress {
  emc_ctx *ctx;
  emc_log_fn log_fn;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int stop, drawn;
  double start;
  char phase[16];
  char detail[512];
  char input[512];
};

static void progress_phase(void *user, const char *phase, const char *detail)
{
  struct progress *p = user;
  pthread_mutex_lock(&p->lock);
  snprintf(p->phase, sizeof p->phase, "%s", phase);
  snprintf(p->detail, sizeof p->detail, "%s", detail ? detail : "");
  pthread_mutex_unlock(&p->lock);
}

static void progress_log(void *user, int level, const char *msg)
{
  struct progress *p = user;
  pthread_mutex_lock(&p->lock);
  if (p->drawn) {
    clear_line();
    p->drawn = 0;
  }
  p->log_fn(NULL, level, msg);
  pthread_mutex_unlock(&p->lock);
}

static void *progress_thread(void *arg)
{
  static const char spin[] = "|/-\\";
  struct progress *p = arg;
  unsigned tick = 0;
  pthread_mutex_lock(&p->lock);
  while (!p->stop) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 125 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait(&p->cond, &p->lock, &ts);
    double el = now() - p->start;
    if (p->stop || el < 1.0)
      continue;
    char line[1200];
    int same = strcmp(p->detail, p->input) == 0;
    snprintf(line, sizeof line, "%c %s: %s: %s%s%s  %.1f s", spin[tick++ % 4], progname, p->input,
             p->phase, same ? "" : " ", same ? "" : p->detail, el);
    draw_line(line);
    p->drawn = 1;
  }
  if (p->drawn)
    clear_line();
  pthread_mutex_unlock(&p->lock);
  return NULL;
}

struct progress *progress_start(emc_ctx *ctx, const char *input, int verbosity, emc_log_fn log_fn)
{
  if (verbosity < 1 || !isatty(STDERR_FILENO))
    return NULL;
  struct progress *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->ctx = ctx;
  p->log_fn = log_fn;
  p->start = now();
  snprintf(p->phase, sizeof p->phase, "reading");
  snprintf(p->detail, sizeof p->detail, "%s", input);
  snprintf(p->input, sizeof p->input, "%s", input);
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->cond, NULL);
  /* The timer thread must not take signals meant for the program. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  int bad = pthread_create(&p->thread, NULL, progress_thread, p);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (bad) {
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->cond);
    free(p);
    return NULL;
  }
  emc_ctx_set_progress_handler(ctx, progress_phase, p);
  emc_ctx_set_log_handler(ctx, progress_log, p);
  return p;
}

void progress_stop(struct progress *p)
{
  if (!p)
    return;
  pthread_mutex_lock(&p->lock);
  p->stop = 1;
  pthread_cond_signal(&p->cond);
  pthread_mutex_unlock(&p->lock);
  pthread_join(p->thread, NULL);
  emc_ctx_set_progress_handler(p->ctx, NULL, NULL);
  emc_ctx_set_log_handler(p->ctx, p->log_fn, NULL);
  pthread_mutex_destroy(&p->lock);
  pthread_cond_destroy(&p->cond);
  free(p);
}
