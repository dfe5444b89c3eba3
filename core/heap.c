/* heap.c - the program's memory policy: see heap.h. */
#include <config.h>
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/mman.h>
#include "heap.h"

static void heap_on_huge_pages(size_t bytes)
{
  const uintptr_t huge = (uintptr_t)2 << 20;
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  char *p = malloc(bytes);
  if (!p)
    return;
  uintptr_t from = ((uintptr_t)p + huge - 1) & ~(huge - 1);
  uintptr_t to = ((uintptr_t)p + bytes) & ~(huge - 1);
  if (to > from)
    madvise((void *)from, to - from, MADV_HUGEPAGE);
  free(p);
}

/* Faults in, with one system call, the first BYTES of the heap that the
 * conversion is about to grow: a block of that size is allocated, its
 * pages populated, and freed (into the heap's top, which is not trimmed),
 * so that the tree's allocations land on pages already there. */
static void heap_prefault(size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
  const uintptr_t page = 4096;
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  char *p = malloc(bytes);
  if (!p)
    return;
  uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
  uintptr_t to = ((uintptr_t)p + bytes) & ~(page - 1);
  if (to > from) /* EINVAL before Linux 5.14: nothing happens */
    madvise((void *)from, to - from, MADV_POPULATE_WRITE);
  free(p);
#else
  (void)bytes;
#endif
}

void heap_prepare(const char *input)
{
  struct stat st;
  if ((strcmp(input, "-") == 0 ? fstat(STDIN_FILENO, &st) : stat(input, &st)) != 0 ||
      !S_ISREG(st.st_mode))
    return;
  if ((unsigned long long)st.st_size < HEAP_MIN_INPUT) {
    mallopt(M_MMAP_THRESHOLD, HEAP_MMAP_THRESHOLD);
    heap_prefault((size_t)st.st_size * HEAP_PREFAULT_PER_INPUT_X2 / 2);
    return;
  }
  unsigned long long want = (unsigned long long)st.st_size * HEAP_PER_INPUT;
  heap_on_huge_pages(want > HEAP_MAX ? HEAP_MAX : (size_t)want);
}

void heap_keep_freed(void)
{
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
}
