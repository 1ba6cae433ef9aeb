#include "contactDebouncer.h"
#include "strike.h"

namespace aeolian {

bool ContactDebouncer::accept(uint8_t contact, uint32_t atMs) {
  if (contact >= MAX_CHIMES_PER_STATION) return false;
  // Unsigned difference: correct across the 49.7-day wrap of millis().
  if (seen_[contact] && elapsedMs(atMs, lastAcceptedMs_[contact]) < lockoutMs_) {
    swallowed_++;
    return false;
  }
  seen_[contact] = true;
  lastAcceptedMs_[contact] = atMs;
  return true;
}

}  // namespace aeolian
