// Per-contact debounce: a chime's contact bounces (and chatters while the chime swings against it),
// so after an accepted closure the same contact is locked out for a while. Each contact has its
// own lockout, so six chimes closing in the same millisecond are six strikes.
#pragma once
#include <cstdint>
#include "protocolLimits.h"

namespace aeolian {

/** Default lockout after an accepted closure; a chime cannot really strike twice within it. */
constexpr uint32_t DEFAULT_CONTACT_LOCKOUT_MS = 150;

class ContactDebouncer {
 public:
  explicit ContactDebouncer(uint32_t lockoutMs = DEFAULT_CONTACT_LOCKOUT_MS) : lockoutMs_(lockoutMs) {}

  /** True when a closure of `contact` at `atMs` is a new strike; false for bounce or chatter. */
  bool accept(uint8_t contact, uint32_t atMs);

  uint32_t lockoutMs() const { return lockoutMs_; }
  /** Closures swallowed as bounce or chatter, for device health. */
  uint32_t swallowed() const { return swallowed_; }

 private:
  uint32_t lockoutMs_;
  uint32_t lastAcceptedMs_[MAX_CHIMES_PER_STATION] = {};
  bool seen_[MAX_CHIMES_PER_STATION] = {};
  uint32_t swallowed_ = 0;
};

}  // namespace aeolian
