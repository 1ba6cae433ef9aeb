// Single-producer/single-consumer queue of contact closures, from the interrupt to the main loop.
// The interrupt only timestamps and pushes; everything else (debounce, sending) runs in loop().
// Lock-free: the producer owns `tail_`, the consumer owns `head_`; each publishes its index with
// release and reads the other's with acquire, so it is safe between an ISR and the loop (and
// between two threads on the host). On a full queue the closure is dropped and counted.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

// The interrupt's call must not leave the ISR's code (on the ESP32 it has to stay in IRAM).
#if defined(__GNUC__)
#define AEOLIAN_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define AEOLIAN_ALWAYS_INLINE inline
#endif

namespace aeolian {

struct ContactEdge {
  uint32_t atMs;
  uint8_t contact;
};

/** Capacity must be a power of two so that free-running indices wrap cleanly. */
template <uint32_t Capacity>
class StrikeQueue {
  static_assert(Capacity >= 2 && (Capacity & (Capacity - 1)) == 0, "Capacity must be a power of two");

 public:
  /** Producer side (the interrupt). Never blocks, never allocates. */
  AEOLIAN_ALWAYS_INLINE bool push(uint8_t contact, uint32_t atMs) {
    const uint32_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_.load(std::memory_order_acquire) >= Capacity) {
      overflowed_.store(overflowed_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      return false;
    }
    slots_[tail & (Capacity - 1)] = ContactEdge{atMs, contact};
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  /** Consumer side (the loop). */
  bool pop(ContactEdge& out) {
    const uint32_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) return false;
    out = slots_[head & (Capacity - 1)];
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

  /** Closures lost because the loop fell behind (written by the producer only). */
  uint32_t overflowed() const { return overflowed_.load(std::memory_order_relaxed); }

 private:
  ContactEdge slots_[Capacity] = {};
  std::atomic<uint32_t> head_{0};
  std::atomic<uint32_t> tail_{0};
  std::atomic<uint32_t> overflowed_{0};
};

}  // namespace aeolian
