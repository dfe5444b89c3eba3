/* SPDX-License-Identifier: MIT */
/* heap.c - the program's memory policy: see heap.h. */
#include <config.h>
#include <limits.h>
#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef HAVE_SYS_MMAN_H
#include <sys/mman.h>
#endif
#include "heap.h"

/* mallopt is glibc's, madvise's MADV_HUGEPAGE Linux's (configure checks
 * them): where they are missing the calls do nothing and malloc keeps its
 * own policy. */
#if !(defined HAVE_MALLOPT && HAVE_DECL_M_TRIM_THRESHOLD && HAVE_DECL_M_MMAP_MAX && \
      HAVE_DECL_M_MMAP_THRESHOLD)
#undef mallopt
#define mallopt(param, value) ((void)(param), (void)(value))
#define M_TRIM_THRESHOLD 0
#define M_MMAP_MAX 0
#define M_MMAP_THRESHOLD 0
#endif
#if !(defined HAVE_MADVISE && HAVE_DECL_MADV_HUGEPAGE)
#undef madvise
#define madvise(addr, len, advice) ((void)(addr), (void)(len), (void)(advice))
#define MADV_HUGEPAGE 0
#endif

/* Allocates BYTES from the heap, gives ADVICE for the part of the block
 * aligned to ALIGN (a power of two), and frees it into the heap's top,
 * which is no longer trimmed: the conversion's later allocations reuse
 * the advised range.  The advice is a hint; a kernel that refuses it
 * (EINVAL) changes nothing. */
static void heap_advise(size_t bytes, uintptr_t align, int advice)
{
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  char *p = malloc(bytes);
  if (!p)
    return;
  uintptr_t from = ((uintptr_t)p + align - 1) & ~(align - 1);
  uintptr_t to = ((uintptr_t)p + bytes) & ~(align - 1);
  if (to > from)
    madvise((void *)from, to - from, advice);
  free(p);
}

/* The heap the conversion will grow, on 2 MB pages; large blocks stay in
 * the heap (their own mappings would not carry the advice). */
static void heap_on_huge_pages(size_t bytes)
{
  mallopt(M_MMAP_MAX, 0);
  heap_advise(bytes, (uintptr_t)2 << 20, MADV_HUGEPAGE);
}

/* Faults in, with one system call, the first BYTES of the heap that the
 * conversion is about to grow, so that the tree's allocations land on
 * pages already there (MADV_POPULATE_WRITE: Linux 5.14 and later). */
static void heap_prefault(size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
  heap_advise(bytes, 4096, MADV_POPULATE_WRITE);
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
