#include "cloudPublisher.h"

namespace aeolian {

void CloudPublisher::poll(uint32_t nowMs) {
  outbox_.expire(nowMs);
  if (outbox_.unsent() == 0 || !cloud_.connected() || pacer_.waitMs(nowMs) != 0) return;
  size_t strikes = 0;
  const size_t bytes = outbox_.encodeUnsent(nowMs, data_, PARTICLE_PUBLISH_DATA_BYTES, strikes);
  if (bytes == 0) return;
  data_[bytes] = '\0';
  pacer_.tryPublish(nowMs);
  // A failed publish still counts against the cloud's limit; its strikes stay for the next one.
  if (!cloud_.publish(eventName_, data_)) {
    failedPublishes_++;
    return;
  }
  publishes_++;
  outbox_.acknowledge(outbox_.markSent(strikes));
}

}  // namespace aeolian
