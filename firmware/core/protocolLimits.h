// The wire protocol's limits the firmware must respect, mirrored from src/protocol/limits.ts
// (docs/protocol.md). test/firmware/conformance.test.ts checks they match the TypeScript values.
#pragma once
#include <cstdint>

namespace aeolian {

/** Largest device text frame the relay accepts; bigger closes the link with 1009. */
constexpr uint32_t MAX_DEVICE_FRAME_BYTES = 4096;
/** Largest `age` of a strike: an older strike is dropped and counted, never sent. */
constexpr uint32_t MAX_STRIKE_AGE_MS = 60000;
/** Most chimes one station may declare. */
constexpr uint8_t MAX_CHIMES_PER_STATION = 64;
/** The relay pings this often and drops a device after this many unanswered pings. */
constexpr uint32_t DEVICE_PING_INTERVAL_MS = 10000;
/** A handshake must complete within this or the relay answers 408. */
constexpr uint32_t HANDSHAKE_TIMEOUT_MS = 10000;
/** Longest striker gap the relay accepts in a `capabilities` message (src/protocol/schema.ts). */
constexpr uint32_t MAX_STRIKER_GAP_MS = 3600000;

/** Velocity is carried as thousandths: 1000 is the protocol's v = 1 (the default, not written). */
constexpr uint16_t VELOCITY_FULL = 1000;

}  // namespace aeolian
