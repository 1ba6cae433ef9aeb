#include "backoff.h"

namespace aeolian {

uint32_t backoffCeilingMs(uint32_t attempt, BackoffRange range) {
  // Doubling in 64 bits, stopping at the cap, matches Math.min(cap, base * 2 ** min(attempt, 30)).
  uint64_t ceiling = range.baseMs;
  for (uint32_t i = 0; i < attempt && i < 30 && ceiling < range.capMs; i++) ceiling *= 2;
  return ceiling < range.capMs ? static_cast<uint32_t>(ceiling) : range.capMs;
}

uint32_t fullJitterDelayMs(uint32_t attempt, BackoffRange range, uint32_t random32) {
  // floor(random * ceiling) with random = random32 / 2^32, exactly as Math.floor in the TS.
  return static_cast<uint32_t>((static_cast<uint64_t>(random32) * backoffCeilingMs(attempt, range)) >> 32);
}

}  // namespace aeolian
