// The loop side of a contact closure: take it from the interrupt's queue, debounce it, and queue
// the strike for sending. Shared by every board and by both paths (cloud and direct link).
#pragma once
#include <cstdint>
#include "contactDebouncer.h"
#include "protocolLimits.h"
#include "strikeOutbox.h"
#include "strikeQueue.h"

namespace aeolian {

/** Moves every waiting closure into the outbox; returns how many became strikes. */
template <uint32_t Capacity>
uint32_t collectStrikes(StrikeQueue<Capacity>& queue, ContactDebouncer& debouncer, StrikeOutbox& outbox,
                        void (*onStrike)(const Strike&) = nullptr) {
  uint32_t strikes = 0;
  ContactEdge edge;
  while (queue.pop(edge)) {
    if (!debouncer.accept(edge.contact, edge.atMs)) continue;
    // A contact gives no loudness: every strike is v = 1 (a piezo board would measure it here).
    const Strike strike{edge.atMs, VELOCITY_FULL, edge.contact};
    if (outbox.push(strike)) {
      strikes++;
      if (onStrike != nullptr) onStrike(strike);
    }
  }
  return strikes;
}

}  // namespace aeolian
