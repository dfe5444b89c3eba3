/* SPDX-License-Identifier: MIT */
/* batch-pool.c - batch mode's worker pool: -j worker processes (forked, so
 * that a crash is only the failure of the file being converted), each
 * converting one file after another; the parent hands out the files,
 * collects the answers, replaces the workers that die or fail, and kills
 * a worker whose file runs over --timeout.
 *
 * Worker protocol: the parent sends a file's index on the worker's order
 * pipe; the worker writes lines to its report pipe: "L<text>" for each log
 * line it would have printed, "W<code>\t<message>" for each warning (the
 * audit's record, whatever -q hides), then "R<rc> <user> <sys>\t<error line>" once
 * converted.  A worker that closes its report pipe with a file unanswered
 * has died; its wait status says how. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "batch-private.h"
#include "heap.h"

#define progname batch_progname
#define now batch_now
#define say batch_say
#define xstrdup batch_strdup
#define xrealloc batch_realloc

/* "FILE:LINE: message", as the CLI prints errors (without "emuconv: "). */
static char *error_text(const emc_error *err, int rc, const char *input)
{
  const char *msg = err->message ? err->message : emc_strerror(rc);
  const char *file = err->file ? err->file : input;
  char *line = err->file && err->line > 0 ? batch_asprintf("%s:%d: %s", file, err->line, msg)
                                          : batch_asprintf("%s: %s", file, msg);
  char *quoted = cli_quote(line); /* one line, as every message: cli.h */
  if (!quoted) {
    fprintf(stderr, "%s: out of memory\n", progname);
    exit(CLI_EXIT_CONVERSION);
  }
  free(line);
  return quoted;
}

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
  int timed_out;   /* killed for running over --timeout */
  emc_buf reports; /* report bytes not yet a whole line */
};

static volatile sig_atomic_t stop_signal;
static void on_stop(int sig)
{
  stop_signal = sig;
}

static void worker_on_signal(int sig)
{
  emc_temp_files_remove();
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
  const char *input; /* the file being converted */
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
    /* Among many files, each message names its own: "emuconv: a/x.txt:
     * warning: ...", once, however the plugin began it. */
    const char *text = wl->input ? cli_strip_name(msg, wl->input) : msg;
    char *name = wl->input ? cli_short_name(wl->input) : NULL;
    char *line = name && level != EMC_LOG_DEBUG
                     ? batch_asprintf("%s: %s: %s%s", progname, name,
                                      level == EMC_LOG_WARN ? "warning: " : "", text)
                     : batch_asprintf("%s: %s%s", progname,
                                      level == EMC_LOG_WARN ? "warning: " : "", msg);
    send_line(wl->fd, 'L', line);
    free(line);
    free(name);
  }
}

static void worker_warning_fn(void *user, const char *code, const char *msg)
{
  struct worker_log *wl = user;
  char *line = batch_asprintf("%s\t%s", code, wl->input ? cli_strip_name(msg, wl->input) : msg);
  send_line(wl->fd, 'W', line);
  free(line);
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
  /* Over `ulimit -f` write() must fail with EFBIG, so that the file fails
   * with its reason and the temporary output is removed, as in a single
   * conversion (emuconv.c); the default SIGXFSZ would kill the worker. */
  signal(SIGXFSZ, SIG_IGN);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) {
    dup2(devnull, STDIN_FILENO);
    close(devnull);
  }
  if (!getenv("EMUCONV_PLAIN_HEAP"))
    heap_keep_freed(); /* for the next file: see heap.h */
  struct worker_log wl = { fd, verbosity, NULL };
  emc_ctx_set_log_handler(ctx, worker_log_fn, &wl);
  emc_ctx_set_warning_handler(ctx, worker_warning_fn, &wl);
  emc_ctx_set_progress_handler(ctx, NULL, NULL);
  size_t i;
  while (read_order(orders, &i) == 0 && i < nitems) {
    const struct item *it = &items[i];
    double user0, sys0, user1, sys1;
    cpu_now(&user0, &sys0);
    emc_job job = *template;
    job.input = it->input;
    job.output = it->output;
    job.catalogue = it->catalogue;
    emc_error err = EMC_ERROR_INIT;
    wl.input = it->input;
    int rc = emc_convert(ctx, &job, &err);
    wl.input = NULL;
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
    if (batch_limit_memory(b->memory_limit) != 0)
      _exit(126); /* the file then fails: "ended without a result" */
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
  w->timed_out = 0;
  emc_buf_clear(&w->reports);
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
void batch_item_failed(struct batch *b, struct item *it, int exit_status, char *error)
{
  it->state = ITEM_FAILED;
  it->exit_status = exit_status;
  free(it->error);
  it->error = error ? error : xstrdup(it->input);
  /* on stderr a very long name is shortened; the report keeps it whole */
  size_t n = strlen(it->input);
  if (strncmp(it->error, it->input, n) == 0 && (it->error[n] == ':' || !it->error[n])) {
    char *name = cli_short_name(it->input);
    say(b, "%s: %s%s\n", progname, name, it->error + n);
    free(name);
  } else
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
    if (b->stamps)
      batch_write_stamp(b, it);
    b->done++;
    if (b->verbosity >= 2)
      say(b, "%s: %s -> %s\n", progname, it->input, it->output);
    return;
  }
  char *error = tab && tab[1] ? xstrdup(tab + 1) : NULL;
  if (rc == EMC_ENOMEM && b->memory_limit && error) { /* say which limit */
    char *why = batch_asprintf("%s (over --limit memory=%zu)", error, b->memory_limit);
    free(error);
    error = why;
  }
  batch_item_failed(b, it, cli_exit_code(rc), error);
  retire(w); /* a fresh worker for the next file */
}

/* W's report lines received so far: the L lines printed, an R line ends
 * its file.  A partial last line stays in the buffer. */
static void read_reports(struct batch *b, struct worker *w)
{
  char *p = w->reports.data, *end = w->reports.data + w->reports.len;
  for (char *nl; p < end && (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1) {
    *nl = '\0';
    if (*p == 'L')
      say(b, "%s\n", p + 1);
    else if (*p == 'W' && w->item != NO_ITEM) {
      char *tab = strchr(p + 1, '\t');
      if (tab) {
        *tab = '\0';
        cli_warnings_add(&b->warnings, w->item, p + 1, tab + 1);
      }
    }
    else if (*p == 'R' && w->item != NO_ITEM)
      item_done(b, w, p + 1);
  }
  w->reports.len = (size_t)(end - p);
  memmove(w->reports.data, p, w->reports.len);
  w->reports.data[w->reports.len] = '\0';
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
    char msg[160];
    if (w->timed_out)
      snprintf(msg, sizeof msg, "timed out: killed after %g s (--timeout)", b->timeout);
    else if (WIFSIGNALED(status)) {
      it->signal = WTERMSIG(status);
      snprintf(msg, sizeof msg, "conversion crashed (signal %d, %s)", it->signal,
               strsignal(it->signal));
    } else
      snprintf(msg, sizeof msg, "conversion ended without a result (exit status %d)",
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    size_t n = strlen(it->input) + strlen(msg) + 3;
    char *error = xrealloc(NULL, n);
    snprintf(error, n, "%s: %s", it->input, msg);
    batch_item_failed(b, it, 1, error);
  }
  close(w->fd);
  retire(w);
  w->pid = 0;
  w->item = NO_ITEM;
}

/* ------------------------------------------------------------ the pool */

/* A file's conversion may last --timeout seconds, and one more so that a
 * --filter command killed at the same limit inside the worker is reported
 * as that (the worker's own message) rather than as the worker's death. */
#define TIMEOUT_GRACE 1.0

/* poll()'s timeout at time T: until the next worker runs over --timeout,
 * 100 ms when the bar is drawn, else for ever. */
static int poll_timeout(const struct batch *b, const struct worker *workers, long jobs, double t)
{
  double wait = b->bar ? 0.1 : -1;
  for (long k = 0; b->timeout > 0 && k < jobs; k++) {
    const struct worker *w = &workers[k];
    if (w->pid <= 0 || w->item == NO_ITEM || w->timed_out)
      continue;
    double left = w->start + b->timeout + TIMEOUT_GRACE - t;
    left = left > 0 ? left : 0;
    if (wait < 0 || left < wait)
      wait = left;
  }
  return wait < 0 ? -1 : wait > 1e6 ? 1000000000 : (int)(wait * 1000) + 1;
}

/* Kills (SIGKILL) the workers whose file has run over --timeout; their
 * report pipes close, and worker_gone() fails the file with its reason. */
static void kill_late_workers(struct batch *b, struct worker *workers, long jobs, double t)
{
  for (long k = 0; b->timeout > 0 && k < jobs; k++) {
    struct worker *w = &workers[k];
    if (w->pid > 0 && w->item != NO_ITEM && !w->timed_out &&
        t - w->start >= b->timeout + TIMEOUT_GRACE) {
      w->timed_out = 1;
      kill(w->pid, SIGKILL);
    }
  }
}

/* The pool's state while batch_pool_run() runs. */
struct pool {
  struct batch *b;
  emc_ctx *ctx;
  const emc_job *template;
  struct worker *workers; /* JOBS slots */
  struct pollfd *pfd;     /* JOBS entries */
  long jobs;
  size_t next;            /* the next item to hand out */
  size_t alive;           /* workers running */
  struct sigaction old[3], old_pipe;
};

static const int stop_signals[3] = { SIGINT, SIGTERM, SIGHUP };

/* SIGINT, SIGTERM, SIGHUP stop the batch (stop_signal); SIGPIPE is
 * ignored: an order to a worker that has just died fails with EPIPE. */
static void catch_signals(struct pool *pl)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  for (int s = 0; s < 3; s++)
    sigaction(stop_signals[s], &sa, &pl->old[s]);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, &pl->old_pipe);
}

static void restore_signals(struct pool *pl)
{
  for (int s = 0; s < 3; s++)
    sigaction(stop_signals[s], &pl->old[s], NULL);
  sigaction(SIGPIPE, &pl->old_pipe, NULL);
}

/* Hands the next file to an idle worker, or to a new one in an empty
 * slot; the collisions before it count as done at once.  Returns 1 when
 * it gave something out (or failed a file that could get no worker). */
static int hand_out(struct pool *pl)
{
  struct batch *b = pl->b;
  /* the collisions (and files without their catalogue row) fail, the
   * outputs up to date and the files a resumed batch did before are done */
  while (pl->next < b->n && b->items[pl->next].state != ITEM_PENDING) {
    if (b->items[pl->next].state == ITEM_FAILED) {
      say(b, "%s: %s\n", progname, b->items[pl->next].error);
      b->failed++;
    }
    b->done++;
    pl->next++;
  }
  for (long k = 0; k < pl->jobs && pl->next < b->n; k++) {
    struct worker *w = &pl->workers[k];
    if (w->pid > 0 && w->orders >= 0 && w->item == NO_ITEM) {
      if (dispatch(b, w, pl->next) == 0) {
        pl->next++;
        return 1;
      }
      retire(w); /* it is dying: it is reaped when its pipe closes */
    }
  }
  for (long k = 0; k < pl->jobs && pl->next < b->n; k++) {
    struct worker *w = &pl->workers[k];
    if (w->pid > 0)
      continue;
    if (spawn(b, w, pl->ctx, pl->template, pl->workers, (size_t)pl->jobs) != 0) {
      if (pl->alive > 0)
        return 0; /* retry when one finishes */
      struct item *it = &b->items[pl->next++];
      batch_item_failed(b, it, 1,
                        batch_asprintf("%s: cannot start a worker: %s", it->input, strerror(errno)));
      return 1;
    }
    pl->alive++;
    if (dispatch(b, w, pl->next) == 0)
      pl->next++;
    else
      retire(w);
    return 1;
  }
  return 0;
}

/* Reads what worker W has sent; reaps it when its pipe has closed. */
static void take_reports(struct pool *pl, struct worker *w)
{
  if (emc_buf_reserve(&w->reports, 4096) != EMC_OK) {
    fprintf(stderr, "%s: out of memory\n", progname);
    exit(CLI_EXIT_CONVERSION);
  }
  ssize_t got = read(w->fd, w->reports.data + w->reports.len, w->reports.cap - w->reports.len - 1);
  if (got < 0 && errno == EINTR)
    return;
  if (got > 0) {
    w->reports.len += (size_t)got;
    w->reports.data[w->reports.len] = '\0';
    read_reports(pl->b, w);
    return;
  }
  worker_gone(pl->b, w);
  pl->alive--;
}

/* Waits for the workers' reports (and --timeout, and the bar's next
 * frame) and takes them.  Returns -1 when poll() failed. */
static int wait_reports(struct pool *pl)
{
  struct batch *b = pl->b;
  size_t np = 0;
  for (long k = 0; k < pl->jobs; k++)
    if (pl->workers[k].pid > 0) {
      pl->pfd[np].fd = pl->workers[k].fd;
      pl->pfd[np].events = POLLIN;
      pl->pfd[np].revents = 0;
      np++;
    }
  double t = now();
  if (b->bar && t - b->last_draw >= 0.1)
    batch_draw_bar(b, t);
  int r = poll(pl->pfd, np, poll_timeout(b, pl->workers, pl->jobs, t));
  if (r < 0) {
    if (errno == EINTR)
      return 0;
    fprintf(stderr, "%s: poll: %s\n", progname, strerror(errno));
    return -1;
  }
  kill_late_workers(b, pl->workers, pl->jobs, now());
  for (long k = 0; k < pl->jobs; k++) {
    struct worker *w = &pl->workers[k];
    if (w->pid <= 0)
      continue;
    size_t j;
    for (j = 0; j < np && pl->pfd[j].fd != w->fd; j++)
      ;
    if (j < np && pl->pfd[j].revents)
      take_reports(pl, w);
  }
  return 0;
}

/* The batch was interrupted: the workers are told to stop and reaped. */
static void stop_workers(struct pool *pl)
{
  for (long k = 0; k < pl->jobs; k++)
    if (pl->workers[k].pid > 0)
      kill(pl->workers[k].pid, SIGTERM);
  for (long k = 0; k < pl->jobs; k++)
    if (pl->workers[k].pid > 0) {
      while (waitpid(pl->workers[k].pid, NULL, 0) < 0 && errno == EINTR)
        ;
      close(pl->workers[k].fd);
      retire(&pl->workers[k]);
    }
}

int batch_pool_run(struct batch *b, emc_ctx *ctx, const emc_job *template, long jobs)
{
  struct pool pl = { .b = b, .ctx = ctx, .template = template, .jobs = jobs };
  pl.workers = xrealloc(NULL, (size_t)jobs * sizeof *pl.workers);
  pl.pfd = xrealloc(NULL, (size_t)jobs * sizeof *pl.pfd);
  memset(pl.workers, 0, (size_t)jobs * sizeof *pl.workers);
  catch_signals(&pl);
  while (!stop_signal) {
    if (hand_out(&pl))
      continue; /* past the collisions to the next file, if any */
    if (pl.next == b->n) /* nothing left to send: the idle workers may go */
      for (long k = 0; k < jobs; k++)
        if (pl.workers[k].pid > 0 && pl.workers[k].item == NO_ITEM)
          retire(&pl.workers[k]);
    if (pl.alive == 0)
      break;
    if (wait_reports(&pl) != 0)
      stop_signal = SIGTERM;
  }
  if (stop_signal)
    stop_workers(&pl);
  batch_clear_bar(b);
  restore_signals(&pl);
  for (long k = 0; k < jobs; k++)
    emc_buf_release(&pl.workers[k].reports);
  free(pl.workers);
  free(pl.pfd);
  return stop_signal;
}
