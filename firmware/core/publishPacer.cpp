#include "publishPacer.h"
#include "strike.h"

namespace aeolian {

void PublishPacer::refill(uint32_t nowMs) {
  // A full bucket earns nothing: its refill clock starts at the first spend after it.
  if (tokens_ >= burst_) {
    refilledAtMs_ = nowMs;
    return;
  }
  const uint32_t earned = elapsedMs(nowMs, refilledAtMs_) / refillMs_;
  if (earned == 0) return;
  // Advance by whole periods only, so a fraction of a period is not lost between calls.
  refilledAtMs_ += earned * refillMs_;
  tokens_ = earned >= burst_ - tokens_ ? burst_ : tokens_ + earned;
  if (tokens_ >= burst_) refilledAtMs_ = nowMs;
}

bool PublishPacer::tryPublish(uint32_t nowMs) {
  refill(nowMs);
  if (tokens_ == 0) return false;
  tokens_--;
  return true;
}

uint32_t PublishPacer::waitMs(uint32_t nowMs) {
  refill(nowMs);
  if (tokens_ > 0) return 0;
  return refillMs_ - elapsedMs(nowMs, refilledAtMs_);
}

}  // namespace aeolian
