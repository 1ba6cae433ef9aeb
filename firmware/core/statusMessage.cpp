#include "statusMessage.h"
#include "textWriter.h"

namespace aeolian {

namespace {

bool acceptableVersion(const char* version) {
  size_t length = 0;
  for (; version[length] != '\0'; length++) {
    const char c = version[length];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '+' || c == '-';
    if (!ok || length >= MAX_FIRMWARE_VERSION_CHARS) return false;
  }
  return length > 0;
}

}  // namespace

size_t writeStatusMessage(const DeviceStatus& status, char* out, size_t capacity) {
  // The version is checked rather than escaped: a status the relay refuses helps nobody.
  if (!acceptableVersion(status.firmware)) return 0;
  TextWriter writer(out, capacity);
  writer.text("{\"type\":\"status\",\"firmware\":\"").text(status.firmware).text("\",\"uptimeS\":").number(status.uptimeS);
  // Signal is reported only when there is one: omitted, not invented.
  if (status.hasSignal && status.signalDbm >= MIN_SIGNAL_DBM && status.signalDbm <= MAX_SIGNAL_DBM) writer.text(",\"rssiDbm\":").number(status.signalDbm);
  writer.text(",\"reconnects\":").number(status.reconnects).text(",\"strikesDropped\":").number(status.strikesDropped);
  if (status.hasStriker) writer.text(",\"ringsRefused\":").number(status.ringsRefused);
  writer.text("}");
  return writer.overflowed() ? 0 : writer.length();
}

}  // namespace aeolian
