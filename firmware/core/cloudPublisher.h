// The Particle cloud path: strikes leave as compact batches with ages in `Particle.publish` events
// under the name the relay subscribes to (PARTICLE_EVENT, default "chime"). Publishes are paced
// (publishPacer.h); while throttled, strikes wait in the outbox and go in the next batch with their
// ages, so the relay stamps them at their real times (published_at - age).
#pragma once
#include <cstddef>
#include <cstdint>
#include "publishPacer.h"
#include "strikeOutbox.h"

namespace aeolian {

/** The relay's default PARTICLE_EVENT. */
constexpr const char* PARTICLE_STRIKE_EVENT = "chime";
/** Event data limit of Particle.publish (Device OS >= 1.5); the relay accepts up to the same. */
constexpr size_t PARTICLE_PUBLISH_DATA_BYTES = 1024;

/** What the board's cloud connection offers (Particle.connected / Particle.publish). */
class CloudConnection {
 public:
  virtual bool connected() = 0;
  /** Publishes one event of `data` (NUL-terminated); true once the cloud took it. */
  virtual bool publish(const char* eventName, const char* data) = 0;

 protected:
  ~CloudConnection() = default;
};

class CloudPublisher {
 public:
  CloudPublisher(CloudConnection& cloud, StrikeOutbox& outbox, uint32_t nowMs,
                 const char* eventName = PARTICLE_STRIKE_EVENT)
      : cloud_(cloud), outbox_(outbox), pacer_(nowMs), eventName_(eventName) {}

  /** Call from loop(): publishes one batch when there are strikes and the pacer allows. */
  void poll(uint32_t nowMs);

  uint32_t publishes() const { return publishes_; }
  uint32_t failedPublishes() const { return failedPublishes_; }

 private:
  CloudConnection& cloud_;
  StrikeOutbox& outbox_;
  PublishPacer pacer_;
  const char* eventName_;
  uint32_t publishes_ = 0;
  uint32_t failedPublishes_ = 0;
  char data_[PARTICLE_PUBLISH_DATA_BYTES + 1] = {};
};

}  // namespace aeolian
