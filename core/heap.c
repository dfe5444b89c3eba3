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

void heap_prepare(const char *input)
{
  struct stat st;
  if ((strcmp(input, "-") == 0 ? fstat(STDIN_FILENO, &st) : stat(input, &st)) != 0 ||
      !S_ISREG(st.st_mode))
    return;
  if ((unsigned long long)st.st_size < HEAP_MIN_INPUT) {
    mallopt(M_MMAP_THRESHOLD, HEAP_MMAP_THRESHOLD);
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
