// The cloud publish pacer and the cloud path, the reconnect backoff, the status message.
#include <string>
#include <vector>
#include "backoff.h"
#include "check.h"
#include "cloudPublisher.h"
#include "publishPacer.h"
#include "statusMessage.h"

using namespace aeolian;

TEST(pacer_allows_a_burst_of_four_then_one_per_second) {
  PublishPacer pacer(0);
  int allowed = 0;
  for (int i = 0; i < 10; i++) allowed += pacer.tryPublish(0);
  CHECK_EQ(allowed, 4);
  CHECK_EQ(pacer.waitMs(0), 1000u);
  CHECK(!pacer.tryPublish(999));
  CHECK(pacer.tryPublish(1000));
  CHECK(!pacer.tryPublish(1500));
  // Over a long busy minute the average stays at one per second (plus the first burst).
  int minute = 0;
  for (uint32_t t = 1000; t <= 61000; t += 10) minute += pacer.tryPublish(t);
  CHECK_EQ(minute, 60);
  // A long quiet spell refills only up to the burst.
  for (int i = 0; i < 10; i++) allowed += pacer.tryPublish(200000);
  CHECK_EQ(allowed, 8);
}

namespace {
struct FakeCloud : CloudConnection {
  bool up = true;
  bool fail = false;
  uint32_t now = 0;
  std::vector<std::pair<uint32_t, std::string>> events;
  bool connected() override { return up; }
  bool publish(const char* name, const char* data) override {
    if (fail) return false;
    events.emplace_back(now, std::string(name) + " " + data);
    return true;
  }
};

/** Strike times the relay would compute from published batches: publish time - age. */
std::vector<std::pair<int, uint32_t>> relayTimes(const FakeCloud& cloud) {
  std::vector<std::pair<int, uint32_t>> out;
  for (const auto& [at, event] : cloud.events) {
    const std::string data = event.substr(event.find(' ') + 1);
    size_t start = 0;
    while (start < data.size()) {
      size_t end = data.find(',', start);
      if (end == std::string::npos) end = data.size();
      const std::string item = data.substr(start, end - start);
      const size_t atSign = item.find('@');
      const uint32_t age = atSign == std::string::npos ? 0 : std::stoul(item.substr(atSign + 1));
      out.emplace_back(std::stoi(item), at - age);
      start = end + 1;
    }
  }
  return out;
}
}  // namespace

TEST(cloud_path_holds_a_gust_while_throttled_and_keeps_its_rhythm) {
  static Strike storage[256];
  StrikeOutbox outbox(storage, 256, 6);
  FakeCloud cloud;
  CloudPublisher publisher(cloud, outbox, 0);
  // 50 strikes in one second, polled every millisecond for 10 s.
  std::vector<std::pair<int, uint32_t>> struck;
  for (uint32_t t = 0; t < 10000; t++) {
    cloud.now = t;
    if (t < 1000 && t % 20 == 0) {
      outbox.push({t, 1000, static_cast<uint8_t>(t / 20 % 6)});
      struck.emplace_back(t / 20 % 6, t);
    }
    publisher.poll(t);
  }
  CHECK(relayTimes(cloud) == struck);  // every strike once, in order, at its real time
  CHECK_EQ(cloud.events.front().second.rfind("chime ", 0), 0u);
  // Never more than 4 publishes in any one second window, and never more than 1/s after the burst.
  for (size_t i = 4; i < cloud.events.size(); i++) CHECK(cloud.events[i].first - cloud.events[i - 4].first >= 1000);
  CHECK(cloud.events.size() <= 4 + 2);
}

TEST(cloud_path_keeps_strikes_through_failed_publishes_and_offline_spells) {
  Strike storage[16];
  StrikeOutbox outbox(storage, 16, 6);
  FakeCloud cloud;
  CloudPublisher publisher(cloud, outbox, 0);
  outbox.push({0, 1000, 1});
  cloud.up = false;
  publisher.poll(10);
  cloud.up = true;
  cloud.fail = true;
  publisher.poll(20);
  CHECK_EQ(publisher.failedPublishes(), 1u);
  cloud.fail = false;
  cloud.now = 3000;
  publisher.poll(3000);
  CHECK_EQ(cloud.events.size(), 1u);
  CHECK(cloud.events[0].second == "chime 1@3000");
  CHECK_EQ(outbox.pending(), 0u);
}

TEST(backoff_matches_the_typescript_policy) {
  const BackoffRange range{1000, 60000};
  CHECK_EQ(backoffCeilingMs(0, range), 1000u);
  CHECK_EQ(backoffCeilingMs(3, range), 8000u);
  CHECK_EQ(backoffCeilingMs(6, range), 60000u);
  CHECK_EQ(backoffCeilingMs(4000000000u, range), 60000u);
  CHECK_EQ(fullJitterDelayMs(0, range, 0), 0u);
  CHECK_EQ(fullJitterDelayMs(3, range, 0xFFFFFFFFu), 7999u);
  CHECK_EQ(fullJitterDelayMs(20, range, 0x80000000u), 30000u);
}

TEST(status_message_is_the_documented_json) {
  char out[MAX_STATUS_FRAME_BYTES];
  DeviceStatus status{"0.1.0", 3600, true, -61, 2, 0};
  size_t length = writeStatusMessage(status, out, sizeof(out));
  CHECK_STR(out, length, "{\"type\":\"status\",\"firmware\":\"0.1.0\",\"uptimeS\":3600,\"rssiDbm\":-61,\"reconnects\":2,\"strikesDropped\":0}");
  status.signalDbm = 31;  // a driver's "unknown": not reported
  length = writeStatusMessage(status, out, sizeof(out));
  CHECK(std::string(out, length).find("rssiDbm") == std::string::npos);
  DeviceStatus widest{"0123456789abcdef0123456789abcdef", 0xFFFFFFFFu, true, -150, 0xFFFFFFFFu, 0xFFFFFFFFu};
  CHECK(writeStatusMessage(widest, out, sizeof(out)) > 0);
  DeviceStatus quoted{"1.0\"}", 1, false, 0, 0, 0};
  CHECK_EQ(writeStatusMessage(quoted, out, sizeof(out)), 0u);
  DeviceStatus empty{"", 1, false, 0, 0, 0};
  CHECK_EQ(writeStatusMessage(empty, out, sizeof(out)), 0u);
}
