// The device status message (docs/protocol.md, "Device status"): a small JSON text frame with the
// firmware version, uptime, signal strength, reconnect count and strikes dropped (and, on a
// station with a striker, ring commands refused), so an operator can tell a quiet day from a sick
// device. Sent every DEVICE_STATUS_INTERVAL_MS when enabled.
#pragma once
#include <cstddef>
#include <cstdint>

namespace aeolian {

/** How often a device reports its health on the direct link (when the option is on). */
constexpr uint32_t DEVICE_STATUS_INTERVAL_MS = 60000;
/** Longest status frame: every field at its widest (177 bytes; the relay takes 256). */
constexpr size_t MAX_STATUS_FRAME_BYTES = 192;
/** Signal strengths outside this range are not reported (a driver's "unknown" value, not a reading). */
constexpr int32_t MIN_SIGNAL_DBM = -150;
constexpr int32_t MAX_SIGNAL_DBM = 0;
/** Longest firmware version string the relay accepts. */
constexpr size_t MAX_FIRMWARE_VERSION_CHARS = 32;

struct DeviceStatus {
  /** [A-Za-z0-9._+-]{1,32}, e.g. "0.1.0". */
  const char* firmware;
  uint32_t uptimeS;
  bool hasSignal;
  int32_t signalDbm;
  uint32_t reconnects;
  uint32_t strikesDropped;
  /** Only a device with a striker reports `ringsRefused` (an extra field older relays ignore). */
  bool hasStriker = false;
  uint32_t ringsRefused = 0;
};

/** Writes the status JSON (no NUL); 0 if it does not fit or the version is not acceptable. */
size_t writeStatusMessage(const DeviceStatus& status, char* out, size_t capacity);

}  // namespace aeolian
