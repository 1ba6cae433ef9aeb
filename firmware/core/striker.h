// The striker: a solenoid per chime, on an output pin, that rings the real chime when the relay
// forwards a visitor's touch. The relay already keeps rings within the station's limits; this keeps
// them within the board's own, again, so a compromised relay cannot hammer the hardware: no config
// can raise the hard caps below. A pulse is started by ring() and ended by poll() from loop(),
// never with a delay(). No heap, no exceptions.
#pragma once
#include <cstdint>
#include "protocolLimits.h"

namespace aeolian {

/** Full-strength pulse (v = 1): long enough for the plunger's full travel, short enough to stay cool. */
constexpr uint32_t STRIKER_PULSE_MS = 20;
/** Pulse for v = 0: the softest tap that still moves the plunger. */
constexpr uint32_t STRIKER_MIN_PULSE_MS = 5;
/** Longest pulse any config may ask for: a coil held on longer only heats. */
constexpr uint32_t STRIKER_MAX_PULSE_MS = 50;
/** Hard cap on rings in any STRIKER_WINDOW_MS, whatever the config says. */
constexpr uint32_t STRIKER_ABSOLUTE_MAX_PER_MINUTE = 60;
/** Hard floor on the gap between any two rings; above STRIKER_MAX_PULSE_MS, so one coil at a time. */
constexpr uint32_t STRIKER_ABSOLUTE_MIN_GAP_MS = 250;
/** Hard floor on the gap between two rings of the same chime (let the tube swing out). */
constexpr uint32_t STRIKER_ABSOLUTE_CHIME_MIN_GAP_MS = 500;
/** The window maxPerMinute counts in. */
constexpr uint32_t STRIKER_WINDOW_MS = 60000;

static_assert(STRIKER_ABSOLUTE_MIN_GAP_MS > STRIKER_MAX_PULSE_MS, "two pulses must never overlap");
static_assert(MAX_CHIMES_PER_STATION <= 64, "the chime set is a 64-bit mask");

struct StrikerConfig {
  /** Bit i set: chime i has a solenoid. */
  uint64_t chimes;
  /** Rings in any 60 s, all chimes together (at most STRIKER_ABSOLUTE_MAX_PER_MINUTE; 0: never). */
  uint32_t maxPerMinute;
  /** Between any two rings (at least STRIKER_ABSOLUTE_MIN_GAP_MS). */
  uint32_t minGapMs;
  /** Between two rings of the same chime (at least STRIKER_ABSOLUTE_CHIME_MIN_GAP_MS). */
  uint32_t chimeMinGapMs;
  /** Pulse at v = 1 (STRIKER_MIN_PULSE_MS..STRIKER_MAX_PULSE_MS). */
  uint32_t pulseMs;
};

/** Conservative defaults for the chimes in `chimes`: 20 a minute, 2 s apart, 4 s per chime. */
StrikerConfig defaultStrikerConfig(uint64_t chimes);

/** The board's output: energise or release chime's solenoid (a pin through a MOSFET). */
class StrikerOutput {
 public:
  virtual void on(uint8_t chime) = 0;
  virtual void off(uint8_t chime) = 0;

 protected:
  ~StrikerOutput() = default;
};

/** What became of a ring command. */
enum class RingOutcome : uint8_t {
  rung,
  notOnStriker,  // the chime has no solenoid
  gap,           // too soon after the last ring
  chimeGap,      // too soon after this chime's last ring
  perMinute,     // the minute's rings are spent
  noStriker,     // (link) this device has no striker
  malformed,     // (link) a ring command that could not be read
};
constexpr uint8_t RING_OUTCOMES = 7;

const char* ringOutcomeName(RingOutcome outcome);

class Striker {
 public:
  /** `config` is clamped to the hard caps; limits() says what holds. */
  Striker(const StrikerConfig& config, StrikerOutput& output);

  /** Ring `chime` now at `velocity` thousandths, if every limit allows; never blocks. */
  RingOutcome ring(uint8_t chime, uint16_t velocity, uint32_t nowMs);
  /** Call from loop(): ends a pulse on time and forgets rings that no longer count. */
  void poll(uint32_t nowMs);

  const StrikerConfig& limits() const { return config_; }
  bool pulsing() const { return pulsing_; }
  uint32_t rings() const { return rings_; }
  uint32_t refused() const { return refused_; }
  uint32_t refusedFor(RingOutcome outcome) const { return refusedFor_[static_cast<uint8_t>(outcome)]; }

 private:
  void forget(uint32_t nowMs);

  StrikerConfig config_;
  StrikerOutput& output_;

  bool pulsing_ = false;
  uint8_t pulseChime_ = 0;
  uint32_t pulseStartMs_ = 0;
  uint32_t pulseLengthMs_ = 0;

  // Times are compared by elapsed (now - then), which survives millis() wrapping; entries are
  // forgotten once they stop counting, long before an elapsed time could wrap into a small one.
  bool anyRecent_ = false;
  uint32_t lastRingMs_ = 0;
  uint64_t chimeRecent_ = 0;
  uint32_t chimeLastRingMs_[MAX_CHIMES_PER_STATION] = {};
  uint32_t window_[STRIKER_ABSOLUTE_MAX_PER_MINUTE] = {};  // ring times, oldest at windowHead_
  uint32_t windowHead_ = 0;
  uint32_t windowCount_ = 0;

  uint32_t rings_ = 0;
  uint32_t refused_ = 0;
  uint32_t refusedFor_[RING_OUTCOMES] = {};
};

}  // namespace aeolian
