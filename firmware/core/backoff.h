// The reconnect policy of every client of the relay, the same as src/protocol/backoff.ts:
// exponential backoff with full jitter. Attempt n waits a uniform random time in
// [0, min(cap, base * 2^n)), so a relay restart is met by a spread of devices, not a wave.
#pragma once
#include <cstdint>

namespace aeolian {

/** Ceiling of the first retry's wait on the direct link. */
constexpr uint32_t RECONNECT_BASE_MS = 1000;
/** The ceiling never grows past this. */
constexpr uint32_t RECONNECT_CAP_MS = 60000;

struct BackoffRange {
  uint32_t baseMs;
  uint32_t capMs;
};

/** Upper bound of the wait before reconnect attempt `attempt` (0 = first retry). */
uint32_t backoffCeilingMs(uint32_t attempt, BackoffRange range);

/** Full-jitter wait; `random32` is uniform over 0..2^32-1 (the board's hardware RNG). */
uint32_t fullJitterDelayMs(uint32_t attempt, BackoffRange range, uint32_t random32);

}  // namespace aeolian
