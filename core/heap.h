/* heap.h - the program's memory policy (heap.c).  Internal to the emuconv
 * program, never in the library: how the heap is laid out is a choice for
 * the whole process, which a library must not make for its caller. */
#ifndef EMUCONV_HEAP_H
#define EMUCONV_HEAP_H

#include <stddef.h>

/* Puts the heap the process is about to grow by about BYTES on
 * transparent huge pages, where the kernel offers them on request (THP
 * "madvise" or "always"), and keeps freed memory in the heap from then on.
 *
 * Why: a document's tree is many small allocations; each 4 kB page of
 * heap costs a page fault when first touched, and on a virtual machine a
 * fault costs tens of microseconds (a third of the CPU time of a 2 MB
 * page's conversion, most of a small file's in a batch worker).  One 2 MB
 * page is one fault.
 *
 * How: large blocks are no longer given mappings of their own (their
 * unmapping would lose the advice) and the heap is never trimmed; a block
 * of BYTES is allocated, its 2 MB-aligned inside advised MADV_HUGEPAGE,
 * and freed untouched, so that later allocations reuse the range.  Nothing
 * is committed until used; the cost is at most one partly used 2 MB page.
 * Does nothing that can fail visibly: without THP it only changes where
 * blocks come from. */
void heap_on_huge_pages(size_t bytes);

/* Before converting INPUT (a path, "-" for standard input): the heap on
 * huge pages for about HEAP_PER_INPUT bytes per byte of it when it is a
 * regular file of HEAP_MIN_INPUT bytes or more (at most HEAP_MAX; past
 * that the heap grows on small pages), else for AT_LEAST bytes if not 0;
 * else nothing is done.  Not below 8 MB: a smaller conversion's heap is a
 * few 2 MB pages, and the part of the last one it does not use is a
 * visible share of its peak RSS (the 2 MB news page: 11.3 MB on small
 * pages, 12.2-13.6 MB on huge ones, past the 6x of issue 6). */
#define HEAP_MIN_INPUT ((size_t)8 << 20)
#define HEAP_PER_INPUT 6
#define HEAP_MAX ((size_t)1 << 30)
void heap_prepare(const char *input, size_t at_least);

#endif
