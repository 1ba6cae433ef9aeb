// The core's encoder, backoff and status message as a filter, for the cross-language conformance
// tests (test/firmware/conformance.test.ts): one process answers many cases, one line each.
//   encode <chimes> <budget> <nowMs> <count> (<chime> <velocity> <atMs>)*  -> ok <strikes> <frame> | refused <error> <index>
//   backoff <attempt> <baseMs> <capMs> <random32>                          -> <ceilingMs> <delayMs>
//   status <firmware> <uptimeS> <hasSignal> <dbm> <reconnects> <dropped>   -> ok <json> | refused
//   ring <one relay text frame, to the end of the line>                    -> ring <chime> <velocity> <id> | malformed <typeRing> | error | other
//   capabilities <chime mask> <maxPerMinute> <minGapMs> <chimeMinGapMs> <pulseMs> -> ok <json> | refused
//   limits                                                                 -> NAME value ...
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>
#include "backoff.h"
#include "compactEncoder.h"
#include "cloudPublisher.h"
#include "contactDebouncer.h"
#include "deviceLink.h"
#include "protocolLimits.h"
#include "publishPacer.h"
#include "statusMessage.h"
#include "strikerMessages.h"

using namespace aeolian;

namespace {
struct NoOutput : StrikerOutput {
  void on(uint8_t) override {}
  void off(uint8_t) override {}
};
}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  std::vector<char> frame(MAX_DEVICE_FRAME_BYTES * 4);
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string command;
    in >> command;
    if (command == "encode") {
      unsigned long chimes = 0, budget = 0, now = 0, count = 0;
      in >> chimes >> budget >> now >> count;
      std::vector<Strike> strikes(count);
      for (auto& strike : strikes) {
        unsigned long chime = 0, velocity = 0, at = 0;
        in >> chime >> velocity >> at;
        // Out-of-type values become values the encoder must refuse, never wrap into valid ones.
        strike.chime = static_cast<uint8_t>(chime > 255 ? 255 : chime);
        strike.velocity = static_cast<uint16_t>(velocity > 65535 ? 65535 : velocity);
        strike.atMs = static_cast<uint32_t>(at);
      }
      if (budget > frame.size()) budget = frame.size();
      const EncodeResult result = encodeCompactBatch(strikes.data(), strikes.size(), static_cast<uint32_t>(now),
                                                     static_cast<uint8_t>(chimes > 255 ? 255 : chimes), frame.data(), budget);
      if (result.error != StrikeError::none) {
        std::cout << "refused " << strikeErrorName(result.error) << ' ' << result.errorIndex << '\n';
      } else {
        std::cout << "ok " << result.strikes << ' ' << std::string(frame.data(), result.bytes) << '\n';
      }
    } else if (command == "backoff") {
      unsigned long attempt = 0, base = 0, cap = 0, random = 0;
      in >> attempt >> base >> cap >> random;
      const BackoffRange range{static_cast<uint32_t>(base), static_cast<uint32_t>(cap)};
      std::cout << backoffCeilingMs(static_cast<uint32_t>(attempt), range) << ' '
                << fullJitterDelayMs(static_cast<uint32_t>(attempt), range, static_cast<uint32_t>(random)) << '\n';
    } else if (command == "status") {
      std::string firmware;
      unsigned long uptime = 0, hasSignal = 0, reconnects = 0, dropped = 0;
      long dbm = 0;
      in >> firmware >> uptime >> hasSignal >> dbm >> reconnects >> dropped;
      if (firmware == "<empty>") firmware.clear();  // a word cannot be empty on a line of words
      const DeviceStatus status{firmware.c_str(), static_cast<uint32_t>(uptime), hasSignal != 0, static_cast<int32_t>(dbm),
                                static_cast<uint32_t>(reconnects), static_cast<uint32_t>(dropped)};
      char out[MAX_STATUS_FRAME_BYTES];
      const size_t length = writeStatusMessage(status, out, sizeof(out));
      if (length == 0) std::cout << "refused\n";
      else std::cout << "ok " << std::string(out, length) << '\n';
    } else if (command == "ring") {
      const std::string text = line.size() > 5 ? line.substr(5) : std::string();
      const RelayMessage message = readRelayMessage(text.data(), text.size());
      switch (message.kind) {
        case RelayMessageKind::ring:
          std::cout << "ring " << unsigned(message.ring.chime) << ' ' << message.ring.velocity << ' ' << message.ring.id << '\n';
          break;
        case RelayMessageKind::malformed: std::cout << "malformed " << (message.typeRing ? 1 : 0) << '\n'; break;
        case RelayMessageKind::error: std::cout << "error\n"; break;
        case RelayMessageKind::other: std::cout << "other\n"; break;
      }
    } else if (command == "capabilities") {
      unsigned long long mask = 0;
      unsigned long maxPerMinute = 0, gap = 0, chimeGap = 0, pulse = 0;
      in >> mask >> maxPerMinute >> gap >> chimeGap >> pulse;
      NoOutput output;
      // Through the striker, as the link does: what is declared is what holds after the hard caps.
      const Striker striker(StrikerConfig{mask, static_cast<uint32_t>(maxPerMinute), static_cast<uint32_t>(gap),
                                          static_cast<uint32_t>(chimeGap), static_cast<uint32_t>(pulse)},
                            output);
      char out[MAX_CAPABILITIES_FRAME_BYTES];
      const size_t length = writeCapabilitiesMessage(striker.limits(), out, sizeof(out));
      if (length == 0) std::cout << "refused\n";
      else std::cout << "ok " << std::string(out, length) << '\n';
    } else if (command == "limits") {
      std::cout << "MAX_DEVICE_FRAME_BYTES " << MAX_DEVICE_FRAME_BYTES << " MAX_STRIKE_AGE_MS " << MAX_STRIKE_AGE_MS
                << " MAX_CHIMES_PER_STATION " << unsigned(MAX_CHIMES_PER_STATION) << " DEVICE_PING_INTERVAL_MS "
                << DEVICE_PING_INTERVAL_MS << " HANDSHAKE_TIMEOUT_MS " << HANDSHAKE_TIMEOUT_MS
                << " RECONNECT_BASE_MS " << RECONNECT_BASE_MS << " RECONNECT_CAP_MS " << RECONNECT_CAP_MS
                << " DEVICE_STATUS_INTERVAL_MS " << DEVICE_STATUS_INTERVAL_MS << " MAX_FIRMWARE_VERSION_CHARS "
                << MAX_FIRMWARE_VERSION_CHARS << " MIN_SIGNAL_DBM " << MIN_SIGNAL_DBM << " MAX_SIGNAL_DBM " << MAX_SIGNAL_DBM
                << " MAX_STRIKER_GAP_MS " << MAX_STRIKER_GAP_MS << " MAX_CAPABILITIES_FRAME_BYTES " << MAX_CAPABILITIES_FRAME_BYTES
                << " STRIKER_ABSOLUTE_MAX_PER_MINUTE " << STRIKER_ABSOLUTE_MAX_PER_MINUTE << " STRIKER_ABSOLUTE_MIN_GAP_MS "
                << STRIKER_ABSOLUTE_MIN_GAP_MS
                << " PARTICLE_PUBLISH_DATA_BYTES " << PARTICLE_PUBLISH_DATA_BYTES << " PARTICLE_STRIKE_EVENT "
                << PARTICLE_STRIKE_EVENT << '\n';
    } else if (!command.empty()) {
      std::cout << "unknown " << command << '\n';
    }
  }
  return 0;
}
