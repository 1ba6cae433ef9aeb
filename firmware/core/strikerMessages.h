// The striker's words on the /device link (docs/protocol.md, "Striker"): the `capabilities` message
// a device sends after connecting, and what the relay sends a device: `ring` commands and `error`
// notices. The relay writes flat JSON objects; the reader is strict about the fields it uses and
// skips the rest, so a newer relay's extra fields are no fault. No heap, no floating point.
#pragma once
#include <cstddef>
#include <cstdint>
#include "striker.h"

namespace aeolian {

/** Largest capabilities frame the relay accepts (src/protocol/striker.ts). */
constexpr size_t MAX_CAPABILITIES_FRAME_BYTES = 512;
/** Ring ids are touch seqs: JSON-safe integers. */
constexpr uint64_t MAX_RING_ID = (uint64_t(1) << 53) - 1;

struct RingCommand {
  uint8_t chime;
  /** Thousandths of v (the protocol's v = 1 is VELOCITY_FULL); v left out is full. */
  uint16_t velocity;
  /** The seq of the visitor's touch, for logs; 0 when left out. */
  uint64_t id;
};

enum class RelayMessageKind : uint8_t {
  ring,       // a well-formed ring command
  error,      // {"type":"error","code":...}
  other,      // a JSON object of some other type: ignored
  malformed,  // not a flat JSON object, or a ring/error with fields out of range
};

enum class RelayErrorCode : uint8_t { badMessage, rateLimited, other };

struct RelayMessage {
  RelayMessageKind kind;
  RingCommand ring;      // for kind == ring
  RelayErrorCode error;  // for kind == error
  /** The text said "type":"ring" (so a malformed one is a ring refused, not line noise). */
  bool typeRing;
};

/**
 * Reads one text frame from the relay. `truncated`: only its first bytes were kept (the frame was
 * longer than the link reads); only an error's detail can be that long, so it is read for its code.
 */
RelayMessage readRelayMessage(const char* text, size_t length, bool truncated = false);

/**
 * `{"type":"capabilities","striker":{"chimes":[...],"maxPerMinute":N,"minGapMs":N}}` with the
 * striker's limits as they hold (after the hard caps). Returns 0 if it does not fit `capacity`, or
 * for a striker that never rings (no chimes, 0 a minute): that one is not declared at all.
 */
size_t writeCapabilitiesMessage(const StrikerConfig& limits, char* out, size_t capacity);

}  // namespace aeolian
