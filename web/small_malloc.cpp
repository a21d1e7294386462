// malloc and free for the browser modules (linked with -sMALLOC=none): a power-of-two
// size-class allocator in a few dozen lines instead of emmalloc (~1.8 KB of Wasm, ~0.6 KB
// gzipped, which this module cannot spare).
//
// Blocks come from the end of the heap (growing the Wasm memory through Emscripten, which
// also renews JavaScript's views of it; or, with NPS_OWN_MEMORY_GROWTH, growing it here) in powers of two
// from 32 bytes, each with a 16-byte header holding its class, so every pointer handed out is 16-byte
// aligned. A freed block goes on its class's free list and serves the next request of that class; blocks are
// never split, merged or given back. The module makes a few hundred small, short-lived allocations per
// decision, so the slack (under 2x) costs little, and the memory in use stays bounded by the largest
// decision's.
#include <emscripten/heap.h>

#include <cstddef>
#include <cstdint>

extern "C" std::size_t __heap_base; // where the linker leaves the heap to us

namespace {
constexpr std::size_t header = 16;
constexpr unsigned min_class = 5;  // 32 bytes
constexpr unsigned max_class = 31; // 2 GiB, the most a Wasm32 memory can grow to
void* free_lists[max_class + 1];
std::uintptr_t heap_end = reinterpret_cast<std::uintptr_t>(&__heap_base);

// n more bytes at the end of the heap, 16-byte aligned; nullptr when memory cannot grow.
void* more(std::size_t n) {
  const std::uintptr_t start = (heap_end + 15) & ~std::uintptr_t{15};
  const std::uintptr_t end = start + n;
  if (end < start) return nullptr;
#if defined(NPS_OWN_MEMORY_GROWTH)
  // The memory grows here, not through Emscripten's glue (which then carries no growth code);
  // web/module-post.js renews JavaScript's views of it after each call that may have grown it.
  const std::uintptr_t size = __builtin_wasm_memory_size(0) * 65536;
  if (end > size &&
      __builtin_wasm_memory_grow(0, (end - size + 65535) / 65536) == static_cast<std::size_t>(-1))
    return nullptr;
#else
  if (end > emscripten_get_heap_size() && !emscripten_resize_heap(end)) return nullptr;
#endif
  heap_end = end;
  return reinterpret_cast<void*>(start);
}
} // namespace

extern "C" {

void* malloc(std::size_t n) {
  unsigned c = min_class;
  while (c < max_class && (std::size_t{1} << c) - header < n)
    ++c;
  if ((std::size_t{1} << c) - header < n) return nullptr;
  char* block = static_cast<char*>(free_lists[c]);
  if (block) {
    free_lists[c] = *reinterpret_cast<void**>(block);
  } else {
    block = static_cast<char*>(more(std::size_t{1} << c));
    if (!block) return nullptr;
  }
  *reinterpret_cast<unsigned*>(block) = c;
  return block + header;
}

void free(void* p) {
  if (!p) return;
  char* block = static_cast<char*>(p) - header;
  const unsigned c = *reinterpret_cast<unsigned*>(block);
  *reinterpret_cast<void**>(block) = free_lists[c];
  free_lists[c] = block;
}

} // extern "C"
