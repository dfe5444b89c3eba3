/* SPDX-License-Identifier: MIT */
/* batch-progress.c - what the program draws on a terminal while it works:
 * batch mode's progress bar and the message lines printed around it, and
 * the progress line of a single long conversion (a timer thread showing
 * the phase and the elapsed time).  Only when stderr is a terminal. */
#include <config.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "batch-private.h"

#define progname batch_progname
#define now batch_now

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

void batch_draw_bar(struct batch *b, double t)
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
void batch_say(struct batch *b, const char *fmt, ...)
{
  va_list ap;
  if (b->bar_drawn) {
    clear_line();
    b->bar_drawn = 0;
  }
  /* every line through cli_message(): control bytes quoted; the text
   * FMT makes ends with \n, which cli_message() adds itself */
  emc_buf line = EMC_BUF_INIT;
  va_start(ap, fmt);
  int rc = emc_buf_vprintf(&line, fmt, ap);
  va_end(ap);
  if (rc == EMC_OK) {
    if (line.len && line.data[line.len - 1] == '\n')
      line.data[--line.len] = '\0';
    cli_message("", "%s", line.data);
  }
  emc_buf_release(&line);
  fflush(stderr);
}

void batch_clear_bar(struct batch *b)
{
  if (b->bar_drawn)
    clear_line();
  b->bar_drawn = 0;
}

/* ------------------------------------------------------------ one conversion */

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
  char *quoted = cli_quote(detail ? detail : "");
  snprintf(p->detail, sizeof p->detail, "%s", quoted ? quoted : "?");
  free(quoted);
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
  char *quoted = cli_quote(input);
  snprintf(p->detail, sizeof p->detail, "%s", quoted ? quoted : "?");
  snprintf(p->input, sizeof p->input, "%s", quoted ? quoted : "?");
  free(quoted);
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
