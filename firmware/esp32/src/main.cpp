// A chime station on an ESP32 (Arduino-ESP32): each chime's contact raises an interrupt that only
// timestamps and enqueues; loop() debounces and sends over the direct /device websocket (wss://)
// and, with a striker, rings the chimes the relay asks for within the board's own limits. All logic
// is in firmware/core.
#include <Arduino.h>
#include <WiFi.h>
#include "deviceLink.h"
#include "esp32Adapters.h"
#include "stationConfig.h"
#include "strikeCollector.h"
#if __has_include("secrets.h")
#include "secrets.h"
#else
#include "secrets.example.h"
#endif

using namespace aeolian;

namespace {

StrikeQueue<256> queue;
Strike outboxStorage[OUTBOX_STRIKES];
StrikeOutbox outbox(outboxStorage, OUTBOX_STRIKES, CHIME_COUNT);
ContactDebouncer debouncer(CONTACT_LOCKOUT_MS);
Esp32NetworkClient client(RELAY_ROOT_CA);
Esp32Platform platform([] { return queue.overflowed(); });

class SerialLog : public LinkObserver {
 public:
  void onLinkEvent(LinkEvent event, int32_t detail) override { Serial.printf("link %s %d\n", linkEventName(event), static_cast<int>(detail)); }
  void onRing(const RingCommand& ring, RingOutcome outcome, uint32_t) override {
    Serial.printf("ring %u %s\n", static_cast<unsigned>(ring.chime), ringOutcomeName(outcome));
  }
} serialLog;

LinkConfig linkConfig() {
  LinkConfig config = defaultLinkConfig();
  config.host = RELAY_HOST;
  config.port = RELAY_PORT;
  config.tls = RELAY_TLS;
  config.token = DEVICE_TOKEN;
  config.firmwareVersion = FIRMWARE_VERSION;
  config.sendStatus = SEND_STATUS;
  return config;
}
Esp32StrikerOutput strikerOutput(STRIKER_PINS, CHIME_COUNT);
Striker striker(StrikerConfig{STRIKER_CHIMES, STRIKER_RINGS_PER_MINUTE, STRIKER_GAP_MS, STRIKER_CHIME_GAP_MS, STRIKER_PULSE_LENGTH_MS},
                strikerOutput);
DeviceLink link(linkConfig(), client, platform, outbox, &serialLog, HAS_STRIKER ? &striker : nullptr);

// In IRAM, as ESP32 interrupt handlers must be; one instance per contact, each knowing its index.
template <uint8_t Contact>
void IRAM_ATTR onContactClosed() {
  queue.push(Contact, millis());
}
using Handler = void (*)();
constexpr Handler CONTACT_HANDLERS[] = {onContactClosed<0>, onContactClosed<1>, onContactClosed<2>, onContactClosed<3>,
                                        onContactClosed<4>, onContactClosed<5>, onContactClosed<6>, onContactClosed<7>};
static_assert(CHIME_COUNT <= sizeof(CONTACT_HANDLERS) / sizeof(CONTACT_HANDLERS[0]), "add handlers for more chimes");

}  // namespace

void setup() {
  Serial.begin(115200);
  if (HAS_STRIKER) strikerOutput.begin();
  for (uint8_t contact = 0; contact < CHIME_COUNT; contact++) {
    pinMode(CONTACT_PINS[contact], INPUT_PULLUP);
    attachInterrupt(digitalPinToInterrupt(CONTACT_PINS[contact]), CONTACT_HANDLERS[contact], FALLING);
  }
  // Wi-Fi reconnects by itself; until it does, the link's connects fail and back off.
  WiFi.setAutoReconnect(true);
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
}

void loop() {
  collectStrikes(queue, debouncer, outbox);
  link.poll(millis());
  // Every loop: a pulse ends here, on time (the 1 ms below is its only slack).
  if (HAS_STRIKER) striker.poll(millis());
  delay(1);  // lets the Wi-Fi task run; strikes are timestamped by the interrupt, not here
}
