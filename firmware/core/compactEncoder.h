// The protocol's compact text format with ages (docs/protocol.md): `<chime>[:<v>][@<age>]` items
// separated by commas, oldest first. The caller gives a byte budget (the link's frame limit, or a
// cloud publish's data limit); strikes that do not fit are left for the next frame, in order.
#pragma once
#include <cstddef>
#include <cstdint>
#include "strike.h"

namespace aeolian {

/** Why a strike cannot be sent: each is a frame the relay would refuse whole. */
enum class StrikeError : uint8_t {
  none,
  chimeOutOfRange,     // chime >= the station's chimes (or chimes > MAX_CHIMES_PER_STATION)
  velocityOutOfRange,  // velocity > VELOCITY_FULL
  tooOld,              // age > MAX_STRIKE_AGE_MS (or a strike time in the future: never invented)
};

const char* strikeErrorName(StrikeError error);

/** Checks one strike against what the relay accepts for a station with `chimes` chimes. */
StrikeError validateStrike(const Strike& strike, uint32_t nowMs, uint8_t chimes);

/** Appends items to a caller's buffer without ever passing the budget. No NUL is written. */
class CompactWriter {
 public:
  CompactWriter(char* out, size_t budgetBytes) : out_(out), budget_(budgetBytes) {}

  /** Appends one (already validated) strike; false, and nothing written, if it does not fit. */
  bool append(const Strike& strike, uint32_t nowMs);

  size_t bytes() const { return used_; }
  size_t strikes() const { return count_; }

 private:
  char* out_;
  size_t budget_;
  size_t used_ = 0;
  size_t count_ = 0;
};

struct EncodeResult {
  StrikeError error;
  /** Index of the refused strike when error != none. */
  size_t errorIndex;
  size_t bytes;
  /** How many strikes, from the first, are in the frame. */
  size_t strikes;
};

/**
 * Encodes the longest prefix of `strikes` that fits `budgetBytes`. The whole batch is validated
 * first, since the relay refuses a frame whole: one bad strike refuses the batch (nothing written).
 */
EncodeResult encodeCompactBatch(const Strike* strikes, size_t count, uint32_t nowMs, uint8_t chimes, char* out,
                                size_t budgetBytes);

}  // namespace aeolian
