/* SPDX-License-Identifier: MIT */
/* tempfile.c - the registry of temporary output files (git's tempfile.c
 * model).  Every temporary file the core creates is registered when it
 * gets a name and unregistered when it is renamed into place or deleted;
 * emc_temp_files_remove() (for a signal handler) and an atexit() handler
 * remove whatever is still registered.  Safe with several contexts and
 * threads: changes to the list are made under a mutex, with the
 * termination signals blocked in the changing thread, and an entry's
 * path is complete before the entry is marked active, so a handler in any
 * thread sees whole paths only.  Entries are never freed (a handler may be
 * reading one); an inactive entry is reused by the next temporary file.
 *
 * When the file system supports O_TMPFILE the file has no name at all
 * while it is written (a SIGKILL leaves nothing); it gets a random name
 * only for the instant between linkat() and rename(). */
#define _GNU_SOURCE 1 /* O_TMPFILE */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "core-private.h"

struct emci_tempfile {
  struct emci_tempfile *next; /* never changes once published */
  atomic_int active;          /* PATH names a file to remove */
  int in_use;                 /* owned by a writer (under the lock) */
  int fd;
  int anonymous;              /* O_TMPFILE: no name until committed */
  char dir[PATH_MAX + 1];     /* for O_TMPFILE's link */
  char path[PATH_MAX + 1];
};

static pthread_mutex_t temp_lock = PTHREAD_MUTEX_INITIALIZER;
static struct emci_tempfile *_Atomic temp_list;
static int atexit_done;

/* The signals after which a program is expected to remove the temporary
 * files (emc_temp_files_remove()). */
static void block_termination(sigset_t *old)
{
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, old);
}

static void remove_all_at_exit(void)
{
  emc_temp_files_remove();
}

void emc_temp_files_remove(void)
{
  for (struct emci_tempfile *t = atomic_load(&temp_list); t; t = t->next)
    if (atomic_exchange(&t->active, 0))
      unlink(t->path);
}

const char *emc_pending_temp_path(void)
{
  for (struct emci_tempfile *t = atomic_load(&temp_list); t; t = t->next)
    if (atomic_load(&t->active))
      return t->path;
  return NULL;
}

/* An entry for a new temporary file, taken; NULL when out of memory.
 * Called with the lock held. */
static struct emci_tempfile *take_entry(void)
{
  for (struct emci_tempfile *t = atomic_load(&temp_list); t; t = t->next)
    if (!t->in_use) {
      t->in_use = 1;
      return t;
    }
  struct emci_tempfile *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->in_use = 1;
  atomic_init(&t->active, 0);
  t->next = atomic_load(&temp_list);
  atomic_store(&temp_list, t);
  if (!atexit_done)
    atexit_done = atexit(remove_all_at_exit) == 0;
  return t;
}

static void give_back(struct emci_tempfile *t)
{
  atomic_store(&t->active, 0);
  t->path[0] = '\0';
  t->fd = -1;
  t->in_use = 0;
}

/* Names PATH as ".BASE.XXXXXX" in DIR (DIRLEN bytes, with its slash). */
static int make_name(char *out, const char *dir, size_t dirlen, const char *base)
{
  int n = snprintf(out, PATH_MAX + 1, "%.*s.%s.XXXXXX", (int)dirlen, dir, base);
  return n < 0 || n > PATH_MAX ? -1 : 0;
}

int emci_tempfile_create(const char *target, mode_t mode, emci_tempfile **out, int *fd,
                         emc_error *err)
{
  const char *slash = strrchr(target, '/');
  size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
  const char *base = slash ? slash + 1 : target;
  sigset_t old;
  block_termination(&old);
  pthread_mutex_lock(&temp_lock);
  struct emci_tempfile *t = take_entry();
  int rc = EMC_OK;
  if (!t)
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  else if (dirlen > PATH_MAX || make_name(t->path, target, dirlen, base) != 0)
    rc = emc_error_set(err, EMC_EINVAL, "%s: path too long", target);
  if (rc == EMC_OK) {
    snprintf(t->dir, sizeof t->dir, "%.*s", (int)(dirlen ? dirlen : 1), dirlen ? target : ".");
#ifdef O_TMPFILE
    /* linkat() names it through /proc/self/fd: no /proc, no O_TMPFILE */
    t->fd = access("/proc/self/fd", X_OK) == 0
                ? open(t->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode)
                : -1;
    t->anonymous = t->fd >= 0;
    if (t->anonymous)
      (void)fchmod(t->fd, mode); /* exactly MODE, not MODE & ~umask */
#else
    t->fd = -1;
    t->anonymous = 0;
#endif
    if (t->fd < 0) { /* unsupported here: a named file, registered */
      t->fd = mkstemp(t->path);
      if (t->fd >= 0) {
        atomic_store(&t->active, 1);
        (void)fchmod(t->fd, mode);
      } else
        rc = emc_error_set(err, EMC_EIO, "%s: cannot create the output: %s", target,
                           strerror(errno));
    }
  }
  if (rc != EMC_OK && t)
    give_back(t);
  pthread_mutex_unlock(&temp_lock);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc == EMC_OK) {
    *out = t;
    *fd = t->fd;
  }
  return rc;
}

/* O_TMPFILE: gives the file a registered name of its own. */
static int link_anonymous(struct emci_tempfile *t)
{
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", t->fd);
  for (int tries = 0; tries < 100; tries++) {
    char *name = t->path;
    size_t len = strlen(name);
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned long long r = (unsigned long long)rand() ^ ((unsigned long long)getpid() << 16) ^
                           (unsigned long long)(uintptr_t)t ^ (unsigned long long)tries * 7919u;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    r ^= (unsigned long long)ts.tv_nsec * 2654435761u;
    for (size_t i = len - 6; i < len; i++, r /= 62)
      name[i] = letters[r % 62];
    /* registered once it exists (before, a handler could remove another
     * file of that name); this thread has the termination signals
     * blocked, and the rename follows at once */
    if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) {
      atomic_store(&t->active, 1);
      return 0;
    }
    if (errno != EEXIST)
      return -1;
  }
  return -1;
}

int emci_tempfile_commit(emci_tempfile *t, const char *target, emc_error *err)
{
  sigset_t old;
  int rc = EMC_OK;
  block_termination(&old);
  pthread_mutex_lock(&temp_lock);
  if (t->anonymous && link_anonymous(t) != 0)
    rc = emc_error_set(err, EMC_EIO, "%s: cannot name the output: %s", target, strerror(errno));
  if (close(t->fd) != 0 && rc == EMC_OK)
    rc = emc_error_set(err, EMC_EIO, "%s: %s", target, strerror(errno));
  if (rc == EMC_OK && rename(t->path, target) != 0)
    rc = emc_error_set(err, EMC_EIO, "%s: cannot rename the output into place: %s", target,
                       strerror(errno));
  if (rc != EMC_OK && atomic_load(&t->active))
    unlink(t->path);
  give_back(t);
  pthread_mutex_unlock(&temp_lock);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}

void emci_tempfile_delete(emci_tempfile *t)
{
  if (!t)
    return;
  sigset_t old;
  block_termination(&old);
  pthread_mutex_lock(&temp_lock);
  if (atomic_load(&t->active))
    unlink(t->path);
  close(t->fd);
  give_back(t);
  pthread_mutex_unlock(&temp_lock);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}
