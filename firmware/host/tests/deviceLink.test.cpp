// The direct link against an in-memory relay: masked frames, acknowledgement by pong, resend after
// a silent death, reconnect with backoff, answering the relay's pings and close, status option.
#include <string>
#include <vector>
#include "check.h"
#include "deviceLink.h"
#include "fakeRelay.h"

using namespace aeolian;

namespace {

struct Events : LinkObserver {
  std::vector<std::string> seen;
  void onLinkEvent(LinkEvent event, int32_t detail) override {
    seen.push_back(std::string(linkEventName(event)) + ":" + std::to_string(detail));
  }
  int count(const std::string& prefix) const {
    int n = 0;
    for (const auto& e : seen) n += e.rfind(prefix, 0) == 0;
    return n;
  }
};

struct Bench {
  FakeRelay relay;
  Strike storage[64];
  StrikeOutbox outbox{storage, 64, 6};
  Events events;
  LinkConfig config;
  DeviceLink* link = nullptr;
  uint32_t now = 0;

  explicit Bench(bool status = false) {
    config = defaultLinkConfig();
    config.host = "relay.test";
    config.port = 80;
    config.tls = false;
    config.token = "secret";
    config.keepaliveMs = 100;
    config.silenceDeadMs = 1000;
    config.backoff = BackoffRange{50, 400};
    config.sendStatus = status;
    config.statusIntervalMs = 500;
    link = new DeviceLink(config, relay, relay, outbox, &events);  // host test only: boards use statics
  }
  ~Bench() { delete link; }
  void run(uint32_t ms) {
    for (uint32_t end = now + ms; now < end; now++) link->poll(now);
  }
};

}  // namespace

TEST(link_opens_with_the_token_and_sends_masked_compact_frames_acknowledged_by_pong) {
  Bench bench;
  bench.run(5);
  CHECK(bench.link->open());
  CHECK(bench.relay.request.find("Authorization: Bearer secret\r\n") != std::string::npos);
  bench.outbox.push({bench.now - 30, 1000, 1});
  bench.outbox.push({bench.now, 1000, 2});
  bench.run(2);  // one poll sends, the next reads the pong
  CHECK(bench.relay.texts() == std::vector<std::string>{"1@30,2"});
  CHECK_EQ(bench.outbox.pending(), 0u);  // the auto-pong acknowledged both
  bench.run(500);                         // idle: keepalive pings, all answered
  CHECK(bench.relay.frames.size() > 3);
  CHECK_EQ(bench.relay.unmasked(), 0);
  CHECK(bench.link->open());
}

TEST(link_declares_a_silent_relay_dead_and_resends_unacknowledged_strikes) {
  Bench bench;
  bench.run(5);
  bench.relay.autoPong = false;  // a stalled link: bytes go out, nothing comes back
  bench.outbox.push({bench.now, 1000, 4});
  bench.run(1);
  CHECK_EQ(bench.outbox.pending(), 1u);
  bench.run(1001);
  CHECK_EQ(bench.events.count("silence"), 1);
  bench.relay.autoPong = true;
  bench.run(500);  // backoff (at most 50 ms for the first retry), reconnect, resend
  CHECK_EQ(bench.relay.connects, 2);
  CHECK_EQ(bench.link->reconnects(), 1u);
  const auto texts = bench.relay.texts();
  CHECK_EQ(texts.size(), 2u);
  CHECK(texts.back().rfind("4@", 0) == 0);  // the same strike, now with its true age
  CHECK_EQ(bench.outbox.pending(), 0u);
}

TEST(link_marks_frames_for_a_relay_that_takes_marks_and_resends_with_the_same_positions) {
  Bench bench;
  bench.relay.takesResendMarks = true;
  bench.run(5);
  bench.relay.autoPong = false;  // the relay takes the frame, but its acknowledgement never arrives
  bench.outbox.push({bench.now, 1000, 4});
  bench.run(1);
  bench.run(1001);
  CHECK_EQ(bench.events.count("silence"), 1);
  bench.relay.autoPong = true;
  bench.outbox.push({bench.now, 1000, 5});
  bench.run(500);
  const auto texts = bench.relay.texts();
  CHECK_EQ(texts.size(), 2u);
  // One boot id on both connections; the resent strike keeps position 0, the new one is 1.
  const std::string boot = texts.front().substr(0, texts.front().find('/'));
  CHECK(boot.size() >= 2 && boot[0] == '#');
  CHECK(texts.front() == boot + "/0,4");
  CHECK(texts.back().rfind(boot + "/0,4@", 0) == 0);
  CHECK(texts.back().find(",5") != std::string::npos);
  CHECK_EQ(bench.outbox.pending(), 0u);
}

TEST(link_answers_relay_pings_and_close_then_comes_back) {
  Bench bench;
  bench.run(5);
  bench.relay.send(0x9, "pq");
  bench.run(1);
  bool ponged = false;
  for (const auto& f : bench.relay.frames) ponged = ponged || (f.opcode == 0xA && f.payload == "pq" && f.masked);
  CHECK(ponged);
  bench.relay.send(0x8, std::string("\x03\xE9", 2));  // 1001: relay shutting down
  bench.run(1);
  CHECK(bench.relay.frames.back().opcode == 0x8);
  CHECK_EQ(bench.events.count("closed_by_relay:1001"), 1);
  bench.run(100);
  CHECK(bench.link->open());
}

TEST(link_backs_off_when_refused_and_names_the_status) {
  Bench bench;
  bench.relay.httpStatus = 401;
  bench.run(3000);
  CHECK(bench.events.count("handshake_refused:401") >= 3);
  // Full jitter with base 50 and cap 400: at most 1 + 3000/avg-delay attempts, and at least a few.
  CHECK(bench.relay.connects < 60);
  bench.relay.accepting = false;
  bench.run(1000);
  CHECK(bench.events.count("connect_failed") >= 1);
}

TEST(link_sends_status_only_when_enabled_and_it_is_on_by_default) {
  CHECK(defaultLinkConfig().sendStatus);
  Bench off;
  off.run(2000);
  for (const auto& text : off.relay.texts()) CHECK(text.find("status") == std::string::npos);
  Bench on(true);
  on.run(1200);
  const auto texts = on.relay.texts();
  CHECK(texts.size() >= 2);
  CHECK(!texts.empty() && texts[0] == "{\"type\":\"status\",\"firmware\":\"0.1.0\",\"uptimeS\":42,\"rssiDbm\":-60,\"reconnects\":0,\"strikesDropped\":3}");
}

TEST(link_outage_past_the_age_limit_drops_and_counts_only_the_too_old) {
  Bench bench;
  bench.run(5);
  bench.relay.accepting = false;
  bench.relay.send(0x8, std::string("\x03\xE9", 2));  // the relay goes away for 70 s
  const uint32_t outageStart = bench.now;
  bench.outbox.push({outageStart + 10, 1000, 0});     // 70 s old when the relay is back: dropped
  bench.outbox.push({outageStart + 30000, 1000, 1});  // 40 s old: sent with its age
  bench.run(70000);
  bench.relay.accepting = true;
  bench.run(1500);  // backoff is capped at 400 ms here
  const auto texts = bench.relay.texts();
  CHECK(!texts.empty() && texts.back().rfind("1@4", 0) == 0);  // "1@40xxx": only the 40 s old one
  CHECK_EQ(bench.outbox.dropped(), 1u);
  CHECK_EQ(bench.outbox.pending(), 0u);
}
