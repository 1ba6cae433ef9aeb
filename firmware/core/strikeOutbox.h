// Strikes waiting to reach the relay, oldest first: the outage buffer. A strike stays until the
// relay has acknowledged it (a pong to a ping sent after it, on the direct link; a successful
// publish, on the cloud path), so a link that dies silently loses nothing: after a reconnect the
// unacknowledged strikes are sent again, with their ages recomputed from their real times.
// A strike older than MAX_STRIKE_AGE_MS is dropped and counted (the relay would refuse it); a full
// buffer drops its oldest strike, also counted. Nothing is ever invented or re-timed.
//
// The storage is the caller's (a static array on a board), so nothing is allocated.
#pragma once
#include <cstddef>
#include <cstdint>
#include "compactEncoder.h"
#include "strike.h"

namespace aeolian {

class StrikeOutbox {
 public:
  /** `chimes`: the station's chime count, so that a strike the relay would refuse is never queued. */
  StrikeOutbox(Strike* storage, uint32_t capacity, uint8_t chimes)
      : slots_(storage), capacity_(capacity), chimes_(chimes) {}

  /**
   * Adds a strike (loop side only). A full outbox drops its oldest strike first. A strike the
   * relay would refuse (a chime the station does not have: a wiring or config mismatch) is dropped
   * and counted here, so it can never poison a frame; returns false then.
   */
  bool push(const Strike& strike);

  /** Drops every strike too old to be accepted; call before encoding. */
  void expire(uint32_t nowMs);

  /**
   * Encodes unsent strikes into `out` within `budgetBytes`, oldest first. Returns the bytes
   * written (0: nothing to send or not even one strike fits); the strikes are not yet marked sent.
   * With `markBoot`, the frame starts with a resend mark `#<boot>/<position of its first strike>,`
   * (docs/protocol.md, "Resends"): positions are this outbox's, so a strike sent again after a cut
   * carries the position it had, and the relay skips it if it took it before.
   */
  size_t encodeUnsent(uint32_t nowMs, char* out, size_t budgetBytes, size_t& strikesEncoded, const uint32_t* markBoot = nullptr);

  /** The first `count` unsent strikes went out; returns the position just past them (an ack mark). */
  uint32_t markSent(size_t count);
  /** The relay has everything before `mark`: forget it. */
  void acknowledge(uint32_t mark);
  /** The link died: everything not acknowledged must be sent again. */
  void rewind() { next_ = first_; }

  uint32_t pending() const { return end_ - first_; }
  uint32_t unsent() const { return end_ - next_; }
  /** Position just past the last sent strike (what a new ping would acknowledge). */
  uint32_t sentMark() const { return next_; }
  /** Dropped for age, for a full buffer or for being invalid: reported in device health. */
  uint32_t dropped() const { return dropped_; }

 private:
  const Strike& at(uint32_t position) const { return slots_[position % capacity_]; }
  void dropOldest();

  Strike* slots_;
  uint32_t capacity_;
  uint8_t chimes_;
  // Free-running positions (first_ <= next_ <= end_, compared by signed difference so the 2^32
  // wrap is harmless): [first_, next_) sent but unacknowledged,
  // [next_, end_) not yet sent. The slot of position p is p % capacity_.
  uint32_t first_ = 0;
  uint32_t next_ = 0;
  uint32_t end_ = 0;
  uint32_t dropped_ = 0;
};

}  // namespace aeolian
