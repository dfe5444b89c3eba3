/* heap.c - the program's memory policy: see heap.h. */
#include <config.h>
#include <malloc.h>
#include "heap.h"

void heap_keep_freed(void)
{
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
}
