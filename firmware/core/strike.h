// One chime strike as the firmware keeps it: which chime, how hard, and when (device clock).
#pragma once
#include <cstdint>

namespace aeolian {

struct Strike {
  /** Device clock (millis()) when the contact closed; ages are computed from it at send time. */
  uint32_t atMs;
  /** Thousandths of the protocol's v: 0..1000 (contacts give 1000). */
  uint16_t velocity;
  uint8_t chime;
};

/** Milliseconds from `thenMs` to `nowMs` on a wrapping 32-bit millisecond clock (49.7 days). */
inline uint32_t elapsedMs(uint32_t nowMs, uint32_t thenMs) { return nowMs - thenMs; }

}  // namespace aeolian
