/* SPDX-License-Identifier: MIT */
/* extfilter.c - external filters (--filter CMD): CMD runs under /bin/sh
 * with the IR on its stdin and must print IR on its stdout, which is
 * parsed with the same safety as any IR input and validated; the
 * document keeps its resources.  Like pandoc's JSON filters, on our XML:
 *   emuconv --filter 'xsltproc my.xsl -' in.txt out.tei */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <emuconv/buf.h>
#include "core-private.h"

static double monotonic_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Milliseconds left until DEADLINE (0: none) for poll(): -1 for ever. */
static int ms_left(double deadline)
{
  if (deadline <= 0)
    return -1;
  double left = deadline - monotonic_now();
  return left <= 0 ? 0 : left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
}

/* Feeds IN to the child's stdin while collecting its stdout (both at once:
 * a filter may write before it has read everything).  Output is bounded by
 * MAX bytes, time by DEADLINE (EMC_ELIMIT, *TIMED_OUT set). */
static int exchange(int to_child, int from_child, const unsigned char *in,
                    size_t in_len, size_t max, double deadline, int *timed_out,
                    emc_buf *out, emc_error *err)
{
  size_t written = 0;
  fcntl(to_child, F_SETFL, fcntl(to_child, F_GETFL) | O_NONBLOCK);
  int rc = EMC_OK;
  while (from_child >= 0) {
    struct pollfd fds[2] = { { from_child, POLLIN, 0 }, { to_child, POLLOUT, 0 } };
    int nfds = to_child >= 0 ? 2 : 1;
    int ready = poll(fds, (nfds_t)nfds, ms_left(deadline));
    if (ready == 0 && ms_left(deadline) == 0) {
      *timed_out = 1;
      rc = EMC_ELIMIT;
      break;
    }
    if (ready < 0) {
      if (errno == EINTR)
        continue;
      rc = emc_error_set(err, EMC_EIO, "poll: %s", strerror(errno));
      break;
    }
    if (to_child >= 0 && fds[1].revents) {
      ssize_t n = in_len > written ? write(to_child, in + written, in_len - written) : 0;
      if (n > 0)
        written += (size_t)n;
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == in_len) {
        close(to_child); /* done, or the filter stopped reading: EPIPE */
        to_child = -1;
      }
    }
    if (fds[0].revents) {
      if (out->len > max) {
        rc = emc_error_set(err, EMC_ELIMIT, "filter output over %zu bytes", max);
        break;
      }
      if (emc_buf_reserve(out, 65536) != EMC_OK) {
        rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
        break;
      }
      ssize_t n = read(from_child, out->data + out->len, out->cap - out->len - 1);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0) {
        close(from_child);
        from_child = -1;
      } else {
        out->len += (size_t)n;
        out->data[out->len] = '\0';
      }
    }
  }
  if (to_child >= 0)
    close(to_child);
  if (from_child >= 0)
    close(from_child);
  return rc;
}

/* Reaps PID, killing it at DEADLINE (0: none): a filter that closed its
 * output may still be running.  Only the shell (or the command it
 * exec'ed) is killed, not a process group of its own: the filter stays in
 * ours, so that a terminal's ^C still reaches it; what it started sees
 * its pipes close. */
static void reap(pid_t pid, double deadline, int *status, int *timed_out)
{
  for (;;) {
    pid_t r = waitpid(pid, status, *timed_out || deadline <= 0 ? 0 : WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR))
      return;
    if (r == 0) {
      if (ms_left(deadline) == 0) {
        *timed_out = 1;
        kill(pid, SIGKILL);
        continue;
      }
      struct timespec nap = { 0, 10 * 1000 * 1000 };
      nanosleep(&nap, NULL);
    }
  }
}

int emc_filter_run_command(emc_ctx *ctx, const char *command, emc_doc *doc,
                           emc_error *err)
{
  emc_output *mem = emc_output_memory_new();
  if (!mem)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  /* The tree only: resources stay with DOC, so filters need not carry
   * them through. */
  int rc = emc_output_save_xml(mem, emc_doc_tree(doc), 1, err);
  if (rc) {
    emc_output_free(mem);
    return rc;
  }
  int in_pipe[2], out_pipe[2];
  if (pipe(in_pipe) != 0) {
    emc_output_free(mem);
    return emc_error_set(err, EMC_EIO, "pipe: %s", strerror(errno));
  }
  if (pipe(out_pipe) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    emc_output_free(mem);
    return emc_error_set(err, EMC_EIO, "pipe: %s", strerror(errno));
  }
  /* A filter that exits without reading would raise SIGPIPE in us: block
   * it for the exchange and discard what is pending afterwards, leaving
   * the program's own disposition alone. */
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);

  double deadline = ctx->command_timeout > 0 ? monotonic_now() + ctx->command_timeout : 0;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    close(in_pipe[0]);
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(out_pipe[1]);
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (pid < 0) {
    rc = emc_error_set(err, EMC_EIO, "cannot run filter '%s': %s", command, strerror(errno));
    close(in_pipe[1]);
    close(out_pipe[0]);
  }
  emc_buf result = EMC_BUF_INIT;
  size_t in_len;
  int timed_out = 0;
  const unsigned char *in = emc_output_memory_data(mem, &in_len);
  if (rc == EMC_OK)
    rc = exchange(in_pipe[1], out_pipe[0], in, in_len, ctx->limits.max_input_bytes, deadline,
                  &timed_out, &result, err);
  emc_output_free(mem);
  int status = 0;
  if (pid > 0) {
    if (rc != EMC_OK)
      kill(pid, SIGKILL); /* it is not read any more */
    reap(pid, deadline, &status, &timed_out);
  }
  if (timed_out)
    rc = emc_error_set(err, EMC_ELIMIT, "filter '%s' killed after %g s (--timeout)", command,
                       ctx->command_timeout);
  struct timespec zero = { 0, 0 };
  while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
    ;
  pthread_sigmask(SIG_SETMASK, &old_set, NULL);

  if (rc == EMC_OK && pid > 0) {
    if (WIFSIGNALED(status))
      rc = emc_error_set(err, EMC_ERROR, "filter '%s' was killed by signal %d", command,
                         WTERMSIG(status));
    else if (WEXITSTATUS(status) == 127)
      rc = emc_error_set(err, EMC_ERROR, "filter '%s': command not found", command);
    else if (WEXITSTATUS(status) != 0)
      rc = emc_error_set(err, EMC_ERROR, "filter '%s' failed (exit status %d)", command,
                         WEXITSTATUS(status));
  }
  if (rc == EMC_OK) {
    emc_doc *fresh = NULL;
    rc = emc_doc_parse(result.data ? result.data : "", result.len, command, &fresh, err);
    size_t max = emc_ctx_limits(ctx)->max_nodes;
    if (rc == EMC_OK && emc_doc_exceeds_nodes(fresh, max)) {
      emc_doc_free(fresh);
      rc = emc_error_set(err, EMC_ELIMIT, "filter '%s' returned more than %zu IR nodes "
                         "(the node limit)", command, max);
    } else if (rc == EMC_OK) {
      emc_doc_swap_tree(doc, fresh);
      emc_doc_free(fresh);
    } else if (err) {
      char *why = err->message;
      err->message = NULL;
      emc_error_set(err, rc, "filter '%s' returned invalid IR: %s", command, why ? why : "");
      free(why);
      free(err->file);
      err->file = NULL;
      err->line = 0;
    }
  }
  emc_buf_release(&result);
  return rc;
}
