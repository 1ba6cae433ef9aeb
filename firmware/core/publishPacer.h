// Paces Particle cloud publishes: the cloud allows about 1 publish per second on average with
// short bursts, and throttles (drops) beyond that. A token bucket of PUBLISH_BURST tokens refilled
// at one per PUBLISH_REFILL_MS keeps us under it. While it is empty, strikes simply wait in the
// outbox with their times, so a gust arrives late but batched with its ages: its rhythm is kept.
#pragma once
#include <cstdint>

namespace aeolian {

/** Publishes allowed back to back after a quiet spell. */
constexpr uint32_t PUBLISH_BURST = 4;
/** One publish token comes back this often: 1 publish/s on average. */
constexpr uint32_t PUBLISH_REFILL_MS = 1000;

class PublishPacer {
 public:
  explicit PublishPacer(uint32_t nowMs, uint32_t burst = PUBLISH_BURST, uint32_t refillMs = PUBLISH_REFILL_MS)
      : burst_(burst), refillMs_(refillMs), tokens_(burst), refilledAtMs_(nowMs) {}

  /** True (and a token is spent) when a publish may go out now. */
  bool tryPublish(uint32_t nowMs);

  /** Milliseconds until the next token (0: one is available now). */
  uint32_t waitMs(uint32_t nowMs);

 private:
  void refill(uint32_t nowMs);

  uint32_t burst_;
  uint32_t refillMs_;
  uint32_t tokens_;
  uint32_t refilledAtMs_;
};

}  // namespace aeolian
