/* heap.h - the program's memory policy (heap.c).  Internal to the emuconv
 * program, never in the library: how the heap is laid out is a choice for
 * the whole process, which a library must not make for its caller. */
#ifndef EMUCONV_HEAP_H
#define EMUCONV_HEAP_H

#include <stddef.h>

/* Before converting INPUT (a path, "-" for standard input): when it is a
 * regular file of HEAP_MIN_INPUT bytes or more, puts the heap the
 * conversion will grow (about HEAP_PER_INPUT bytes per input byte, at most
 * HEAP_MAX) on transparent huge pages, where the kernel offers them on
 * request (THP "madvise" or "always"), and keeps freed memory in the heap.
 * A smaller input is converted on glibc's defaults.
 *
 * Why: a document's tree is many small allocations; each 4 kB page of
 * heap costs a page fault when first touched, and on a virtual machine a
 * fault costs tens of microseconds.  One 2 MB page is one fault.  50 MB of
 * text -> tei --no-filter all, CPU time, median of 9 runs alternating on a
 * loaded machine (2026-12-07): 266 ms with, 330 without.  Not below 8 MB:
 * a smaller conversion's heap is a few 2 MB pages, and the unused part of
 * the last one is a visible share of its peak RSS.  (Below 8 MB the heap
 * was prefaulted with MADV_POPULATE_WRITE and the mmap threshold raised;
 * both saved under 10 % on every row and were removed, issue 26.)
 *
 * How: large blocks are no longer given mappings of their own (their
 * unmapping would lose the advice) and the heap is never trimmed; a block
 * of that size is allocated, its 2 MB-aligned inside advised
 * MADV_HUGEPAGE, and freed untouched, so that later allocations reuse the
 * range.  Nothing is committed until used.  Nothing can fail visibly:
 * without THP it only changes where blocks come from. */
#define HEAP_MIN_INPUT ((size_t)8 << 20)
#define HEAP_PER_INPUT 6
#define HEAP_MAX ((size_t)1 << 30)
void heap_prepare(const char *input);

/* For a batch worker, which converts file after file: keeps freed memory
 * for the next file instead of giving it back.  glibc's default trims the
 * heap's top and maps (and unmaps) blocks of 128 kB and more on their own,
 * so each file touched fresh pages again (zlib's 256 kB of state,
 * textcat's tables), a page fault each. */
void heap_keep_freed(void);

#endif
