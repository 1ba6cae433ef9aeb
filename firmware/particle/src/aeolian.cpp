// A chime station on Particle (Photon 2 and P2 on Gen 4; Argon and Boron on Gen 3): each chime's
// contact raises an interrupt that only timestamps and enqueues; loop() debounces and sends, by the
// Particle cloud (default) or the direct /device websocket, and (with a striker, direct link only)
// rings the chimes the relay asks for within the board's own limits. All logic is in firmware/core.
#include "Particle.h"
#include "cloudPublisher.h"
#include "deviceLink.h"
#include "particleAdapters.h"
#include "stationConfig.h"
#include "strikeCollector.h"
#if __has_include("secrets.h")
#include "secrets.h"
#else
#include "secrets.example.h"
#endif

// The network runs in its own thread, so a slow publish or reconnect never delays loop()'s clock.
SYSTEM_THREAD(ENABLED);

using namespace aeolian;

namespace {

StrikeQueue<256> queue;
Strike outboxStorage[OUTBOX_STRIKES];
StrikeOutbox outbox(outboxStorage, OUTBOX_STRIKES, CHIME_COUNT);
ContactDebouncer debouncer(CONTACT_LOCKOUT_MS);

ParticleCloud cloud;
CloudPublisher publisher(cloud, outbox, 0, STRIKE_EVENT);

ParticleTcpClient tcp;
ParticlePlatform platform([] { return queue.overflowed(); });

LinkConfig directLinkConfig() {
  LinkConfig config = defaultLinkConfig();
  config.host = RELAY_HOST;
  config.port = RELAY_PORT;
  config.tls = false;
  config.token = DEVICE_TOKEN;
  config.firmwareVersion = FIRMWARE_VERSION;
  config.sendStatus = SEND_STATUS;
  return config;
}
ParticleStrikerOutput strikerOutput(STRIKER_PINS, CHIME_COUNT);
Striker striker(StrikerConfig{STRIKER_CHIMES, STRIKER_RINGS_PER_MINUTE, STRIKER_GAP_MS, STRIKER_CHIME_GAP_MS, STRIKER_PULSE_LENGTH_MS},
                strikerOutput);
DeviceLink link(directLinkConfig(), tcp, platform, outbox, nullptr, HAS_STRIKER ? &striker : nullptr);

// attachInterrupt takes a plain function: one instance per contact, each knowing its own index.
template <uint8_t Contact>
void onContactClosed() {
  queue.push(Contact, millis());
}
using Handler = void (*)();
constexpr Handler CONTACT_HANDLERS[] = {onContactClosed<0>, onContactClosed<1>, onContactClosed<2>, onContactClosed<3>,
                                        onContactClosed<4>, onContactClosed<5>, onContactClosed<6>, onContactClosed<7>};
static_assert(CHIME_COUNT <= sizeof(CONTACT_HANDLERS) / sizeof(CONTACT_HANDLERS[0]), "add handlers for more chimes");

}  // namespace

void setup() {
  if (HAS_STRIKER) strikerOutput.begin();
  for (uint8_t contact = 0; contact < CHIME_COUNT; contact++) {
    pinMode(CONTACT_PINS[contact], INPUT_PULLUP);
    attachInterrupt(CONTACT_PINS[contact], CONTACT_HANDLERS[contact], FALLING);
  }
}

void loop() {
  collectStrikes(queue, debouncer, outbox);
  if (USE_DIRECT_LINK) link.poll(millis());
  else publisher.poll(millis());
  // Every loop, link or not: a pulse ends here, on time.
  if (HAS_STRIKER) striker.poll(millis());
}
