#include "striker.h"

namespace aeolian {

namespace {

uint32_t atLeast(uint32_t value, uint32_t floor) { return value < floor ? floor : value; }
uint32_t within(uint32_t value, uint32_t low, uint32_t high) { return value < low ? low : value > high ? high : value; }

StrikerConfig clampToHardCaps(StrikerConfig config) {
  if (config.maxPerMinute > STRIKER_ABSOLUTE_MAX_PER_MINUTE) config.maxPerMinute = STRIKER_ABSOLUTE_MAX_PER_MINUTE;
  config.minGapMs = atLeast(config.minGapMs, STRIKER_ABSOLUTE_MIN_GAP_MS);
  config.chimeMinGapMs = atLeast(config.chimeMinGapMs, STRIKER_ABSOLUTE_CHIME_MIN_GAP_MS);
  config.pulseMs = within(config.pulseMs, STRIKER_MIN_PULSE_MS, STRIKER_MAX_PULSE_MS);
  return config;
}

}  // namespace

StrikerConfig defaultStrikerConfig(uint64_t chimes) { return StrikerConfig{chimes, 20, 2000, 4000, STRIKER_PULSE_MS}; }

const char* ringOutcomeName(RingOutcome outcome) {
  switch (outcome) {
    case RingOutcome::rung: return "rung";
    case RingOutcome::notOnStriker: return "not_on_striker";
    case RingOutcome::gap: return "gap";
    case RingOutcome::chimeGap: return "chime_gap";
    case RingOutcome::perMinute: return "per_minute";
    case RingOutcome::noStriker: return "no_striker";
    case RingOutcome::malformed: return "malformed";
  }
  return "unknown";
}

Striker::Striker(const StrikerConfig& config, StrikerOutput& output) : config_(clampToHardCaps(config)), output_(output) {}

void Striker::forget(uint32_t nowMs) {
  if (anyRecent_ && nowMs - lastRingMs_ >= config_.minGapMs) anyRecent_ = false;
  for (uint8_t chime = 0; chime < MAX_CHIMES_PER_STATION && (chimeRecent_ >> chime) != 0; chime++) {
    const uint64_t bit = uint64_t(1) << chime;
    if ((chimeRecent_ & bit) != 0 && nowMs - chimeLastRingMs_[chime] >= config_.chimeMinGapMs) chimeRecent_ &= ~bit;
  }
  while (windowCount_ > 0 && nowMs - window_[windowHead_] >= STRIKER_WINDOW_MS) {
    windowHead_ = (windowHead_ + 1) % STRIKER_ABSOLUTE_MAX_PER_MINUTE;
    windowCount_--;
  }
}

RingOutcome Striker::ring(uint8_t chime, uint16_t velocity, uint32_t nowMs) {
  forget(nowMs);
  RingOutcome outcome = RingOutcome::rung;
  if (chime >= MAX_CHIMES_PER_STATION || (config_.chimes & (uint64_t(1) << chime)) == 0) outcome = RingOutcome::notOnStriker;
  else if (anyRecent_ || pulsing_) outcome = RingOutcome::gap;
  else if ((chimeRecent_ & (uint64_t(1) << chime)) != 0) outcome = RingOutcome::chimeGap;
  else if (windowCount_ >= config_.maxPerMinute) outcome = RingOutcome::perMinute;
  if (outcome != RingOutcome::rung) {
    refused_++;
    refusedFor_[static_cast<uint8_t>(outcome)]++;
    return outcome;
  }
  anyRecent_ = true;
  lastRingMs_ = nowMs;
  chimeRecent_ |= uint64_t(1) << chime;
  chimeLastRingMs_[chime] = nowMs;
  window_[(windowHead_ + windowCount_) % STRIKER_ABSOLUTE_MAX_PER_MINUTE] = nowMs;
  windowCount_++;
  rings_++;
  // Velocity sets the pulse length: a longer pulse throws the plunger harder, up to full travel.
  const uint32_t v = velocity > VELOCITY_FULL ? VELOCITY_FULL : velocity;
  pulseLengthMs_ = STRIKER_MIN_PULSE_MS + (config_.pulseMs - STRIKER_MIN_PULSE_MS) * v / VELOCITY_FULL;
  pulseChime_ = chime;
  pulseStartMs_ = nowMs;
  pulsing_ = true;
  output_.on(chime);
  return outcome;
}

void Striker::poll(uint32_t nowMs) {
  if (pulsing_ && nowMs - pulseStartMs_ >= pulseLengthMs_) {
    pulsing_ = false;
    output_.off(pulseChime_);
  }
  forget(nowMs);
}

}  // namespace aeolian
