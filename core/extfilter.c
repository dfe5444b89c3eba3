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
#include "core-private.h"

/* Feeds IN to the child's stdin while collecting its stdout (both at once:
 * a filter may write before it has read everything).  Output is bounded by
 * MAX bytes. */
static int exchange(int to_child, int from_child, const unsigned char *in,
                    size_t in_len, size_t max, unsigned char **out,
                    size_t *out_len, emc_error *err)
{
  size_t written = 0, len = 0, cap = 65536;
  unsigned char *buf = malloc(cap);
  if (!buf)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  fcntl(to_child, F_SETFL, fcntl(to_child, F_GETFL) | O_NONBLOCK);
  int rc = EMC_OK;
  while (from_child >= 0) {
    struct pollfd fds[2] = { { from_child, POLLIN, 0 }, { to_child, POLLOUT, 0 } };
    int nfds = to_child >= 0 ? 2 : 1;
    if (poll(fds, (nfds_t)nfds, -1) < 0) {
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
      if (len == cap) {
        if (cap > max) {
          rc = emc_error_set(err, EMC_ELIMIT, "filter output over %zu bytes", max);
          break;
        }
        unsigned char *grown = realloc(buf, cap * 2);
        if (!grown) {
          rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
          break;
        }
        buf = grown;
        cap *= 2;
      }
      ssize_t n = read(from_child, buf + len, cap - len);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0) {
        close(from_child);
        from_child = -1;
      } else
        len += (size_t)n;
    }
  }
  if (to_child >= 0)
    close(to_child);
  if (from_child >= 0)
    close(from_child);
  if (rc) {
    free(buf);
    return rc;
  }
  *out = buf;
  *out_len = len;
  return EMC_OK;
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
  unsigned char *result = NULL;
  size_t result_len = 0, in_len;
  const unsigned char *in = emc_output_memory_data(mem, &in_len);
  if (rc == EMC_OK)
    rc = exchange(in_pipe[1], out_pipe[0], in, in_len, ctx->limits.max_input_bytes,
                  &result, &result_len, err);
  emc_output_free(mem);
  int status = 0;
  while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
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
    rc = emc_doc_parse(result, result_len, command, &fresh, err);
    if (rc == EMC_OK) {
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
  free(result);
  return rc;
}
