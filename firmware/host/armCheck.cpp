// Links every piece of the core together for a Cortex-M4 (compiled only, by `make arm`): the
// template code (queue, collector) is instantiated here, so the no-heap check sees all of it.
#include "cloudPublisher.h"
#include "deviceLink.h"
#include "strikeCollector.h"
#include "striker.h"

using namespace aeolian;

namespace {

struct NullClient : NetworkClient {
  bool connect(const char*, uint16_t, bool) override { return false; }
  int32_t write(const uint8_t*, size_t) override { return -1; }
  int32_t read(uint8_t*, size_t) override { return -1; }
  void stop() override {}
};

struct NullPlatform : DevicePlatform {
  uint32_t random32() override { return 4; }
  uint32_t uptimeS() override { return 0; }
  bool signalDbm(int32_t&) override { return false; }
  uint32_t strikesLostBeforeOutbox() override { return 0; }
};

struct NullStrikerOutput : StrikerOutput {
  void on(uint8_t) override {}
  void off(uint8_t) override {}
};

struct NullCloud : CloudConnection {
  bool connected() override { return false; }
  bool publish(const char*, const char*) override { return false; }
};

StrikeQueue<128> queue;
Strike storage[512];
StrikeOutbox outbox(storage, 512, 6);
ContactDebouncer debouncer;
NullClient client;
NullPlatform platform;
NullCloud cloud;
NullStrikerOutput strikerOutput;
Striker striker(defaultStrikerConfig(0x3F), strikerOutput);
DeviceLink link(defaultLinkConfig(), client, platform, outbox, nullptr, &striker);
CloudPublisher publisher(cloud, outbox, 0);

}  // namespace

void contactIsr(uint8_t contact, uint32_t nowMs) { queue.push(contact, nowMs); }

void boardLoop(uint32_t nowMs) {
  collectStrikes(queue, debouncer, outbox);
  link.poll(nowMs);
  striker.poll(nowMs);
  publisher.poll(nowMs);
}
