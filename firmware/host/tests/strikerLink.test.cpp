// The striker on the link: the relay's ring and error messages read strictly (fields out of range are
// malformed, extra fields skipped), the capabilities message declares the limits that hold, and the
// link declares the striker on every connection, rings within limits, refuses a flood and counts it
// in the status, and with no striker rings nothing.
#include <string>
#include <vector>
#include "check.h"
#include "deviceLink.h"
#include "fakeRelay.h"
#include "strikerMessages.h"

using namespace aeolian;

namespace {

RelayMessage read(const std::string& text) { return readRelayMessage(text.data(), text.size()); }

bool malformed(const std::string& text) { return read(text).kind == RelayMessageKind::malformed; }

struct CountingOutput : StrikerOutput {
  std::vector<std::string> edges;
  void on(uint8_t chime) override { edges.push_back("on " + std::to_string(chime)); }
  void off(uint8_t chime) override { edges.push_back("off " + std::to_string(chime)); }
};

struct Rings : LinkObserver {
  std::vector<std::string> seen;
  void onLinkEvent(LinkEvent, int32_t) override {}
  void onRing(const RingCommand& ring, RingOutcome outcome, uint32_t) override {
    seen.push_back(std::to_string(ring.chime) + ":" + ringOutcomeName(outcome));
  }
};

struct Bench {
  FakeRelay relay;
  Strike storage[16];
  StrikeOutbox outbox{storage, 16, 6};
  CountingOutput output;
  Striker striker{StrikerConfig{0x7, 30, 1500, 3000, STRIKER_PULSE_MS}, output};
  Rings rings;
  DeviceLink* link = nullptr;
  uint32_t now = 0;

  explicit Bench(bool withStriker) {
    LinkConfig config = defaultLinkConfig();
    config.host = "relay.test";
    config.port = 80;
    config.tls = false;
    config.token = "secret";
    config.keepaliveMs = 100;
    config.backoff = BackoffRange{50, 400};
    config.sendStatus = true;
    config.statusIntervalMs = 1000;
    link = new DeviceLink(config, relay, relay, outbox, &rings, withStriker ? &striker : nullptr);  // host test only
  }
  ~Bench() { delete link; }
  void run(uint32_t ms) {
    for (uint32_t end = now + ms; now < end; now++) {
      link->poll(now);
      striker.poll(now);
    }
  }
  std::vector<std::string> textsOfType(const std::string& type) const {
    std::vector<std::string> out;
    for (const auto& text : relay.texts()) {
      if (text.find("\"type\":\"" + type + "\"") != std::string::npos) out.push_back(text);
    }
    return out;
  }
};

}  // namespace

TEST(relay_ring_commands_are_read_strictly) {
  RelayMessage ring = read("{\"type\":\"ring\",\"chime\":3,\"v\":0.8,\"id\":1043}");
  CHECK(ring.kind == RelayMessageKind::ring);
  CHECK_EQ(ring.ring.chime, 3);
  CHECK_EQ(ring.ring.velocity, 800);
  CHECK_EQ(ring.ring.id, 1043u);
  ring = read(" { \"id\" : 9007199254740991 , \"chime\" : 63, \"type\" : \"ring\", \"extra\": {\"a\":[1,{\"b\":null}],\"c\":\"}\\\"\"} } ");
  CHECK(ring.kind == RelayMessageKind::ring);
  CHECK_EQ(ring.ring.chime, 63);
  CHECK_EQ(ring.ring.velocity, VELOCITY_FULL);  // v left out: full
  CHECK(ring.ring.id == MAX_RING_ID);
  const char* velocities[][2] = {{"0", "0"}, {"1", "1000"}, {"1.0", "1000"}, {"1e0", "1000"}, {"8e-1", "800"}, {"0.0005", "1"},
                                 {"0.0004", "0"}, {"0.123456789", "123"}, {"10e-1", "1000"}, {"-0", "0"}, {"1E-30", "0"}};
  for (const auto& [text, thousandths] : velocities) {
    const RelayMessage message = read(std::string("{\"type\":\"ring\",\"chime\":1,\"v\":") + text + "}");
    CHECK(message.kind == RelayMessageKind::ring);
    CHECK_EQ(message.ring.velocity, std::stoi(thousandths));
  }
  const char* refused[] = {
      "{\"type\":\"ring\",\"chime\":64}",          "{\"type\":\"ring\",\"chime\":-1}",
      "{\"type\":\"ring\",\"chime\":1.5}",         "{\"type\":\"ring\",\"chime\":\"3\"}",
      "{\"type\":\"ring\"}",
      "{\"type\":\"ring\",\"chime\":1,\"v\":1.001}", "{\"type\":\"ring\",\"chime\":1,\"v\":-0.1}",
      "{\"type\":\"ring\",\"chime\":1,\"v\":2e0}",   "{\"type\":\"ring\",\"chime\":1,\"v\":\"1\"}",
      "{\"type\":\"ring\",\"chime\":1,\"id\":-1}",
      "{\"type\":\"ring\",\"chime\":1,\"id\":9007199254740992}", "{\"type\":\"ring\",\"chime\":1,\"id\":1e3}",
  };
  for (const char* text : refused) {
    const RelayMessage message = read(text);
    CHECK(message.kind == RelayMessageKind::malformed);
    CHECK(message.typeRing);
    if (message.kind != RelayMessageKind::malformed) std::printf("  read as a ring: %s\n", text);
  }
}

TEST(relay_messages_that_are_not_json_objects_are_malformed_and_errors_keep_their_codes) {
  const char* broken[] = {"", "ring", "{", "{\"type\":\"ring\",\"chime\":1", "{\"type\":\"ring\",\"chime\":1}x",
                          "[1]", "{\"type\" \"ring\"}", "{type:\"ring\"}", "{\"a\":tru}", "{\"a\":[1,}",
                          "{\"a\":\"line\nbreak\"}", "{\"type\":\"ring\",\"chime\":1,}",
                          "{\"a\":[[[[[[[[[[1]]]]]]]]]]}", "{\"type\":\"ring\",\"chime\":01}",
                          "{\"type\":\"ring\",\"chime\":1,\"v\":.5}"};
  for (const char* text : broken) {
    CHECK(malformed(text));
    if (!malformed(text)) std::printf("  read: %s\n", text);
  }
  CHECK(!read("{\"type\":\"ring\",\"chime\":1").typeRing);
  RelayMessage error = read("{\"type\":\"error\",\"code\":\"rate_limited\"}");
  CHECK(error.kind == RelayMessageKind::error && error.error == RelayErrorCode::rateLimited);
  error = read("{\"type\":\"error\",\"code\":\"bad_message\",\"detail\":\"item 2: \\\"x\\\" is not <chime>[:<v>][@<age>] \\u00e9\"}");
  CHECK(error.kind == RelayMessageKind::error && error.error == RelayErrorCode::badMessage);
  CHECK(read("{\"type\":\"hello\",\"stations\":[{\"id\":\"x\"}]}").kind == RelayMessageKind::other);
  CHECK(read("{\"code\":\"rate_limited\"}").kind == RelayMessageKind::other);
  CHECK(read("{}").kind == RelayMessageKind::other);
  // A frame cut at the reader's limit: an error keeps its code, anything else is malformed.
  const std::string cutError = "{\"type\":\"error\",\"code\":\"bad_message\",\"detail\":\"item 0: ";
  error = readRelayMessage(cutError.data(), cutError.size(), true);
  CHECK(error.kind == RelayMessageKind::error && error.error == RelayErrorCode::badMessage);
  const std::string cutRing = "{\"type\":\"ring\",\"chime\":1}";
  CHECK(readRelayMessage(cutRing.data(), cutRing.size(), true).kind == RelayMessageKind::malformed);
}

TEST(capabilities_declare_the_limits_that_hold) {
  char out[MAX_CAPABILITIES_FRAME_BYTES];
  size_t length = writeCapabilitiesMessage(StrikerConfig{0x2D, 30, 1500, 3000, 20}, out, sizeof(out));
  CHECK_STR(out, length, "{\"type\":\"capabilities\",\"striker\":{\"chimes\":[0,2,3,5],\"maxPerMinute\":30,\"minGapMs\":1500}}");
  // Every chime at the widest fits; a buffer too small writes nothing.
  length = writeCapabilitiesMessage(StrikerConfig{~uint64_t(0), 60, 3600000, 0, 0}, out, sizeof(out));
  CHECK(length > 200 && length < sizeof(out));
  CHECK_EQ(writeCapabilitiesMessage(StrikerConfig{1, 1, 1, 1, 1}, out, 40), 0u);
  // A striker that never rings is not declared (the relay takes 1..600 a minute, one chime or more).
  CHECK_EQ(writeCapabilitiesMessage(StrikerConfig{1, 0, 300, 600, 20}, out, sizeof(out)), 0u);
  CHECK_EQ(writeCapabilitiesMessage(StrikerConfig{0, 5, 300, 600, 20}, out, sizeof(out)), 0u);
  // A gap longer than the relay takes is declared as the longest it takes.
  length = writeCapabilitiesMessage(StrikerConfig{1, 5, 7200000, 600, 20}, out, sizeof(out));
  CHECK_STR(out, length, "{\"type\":\"capabilities\",\"striker\":{\"chimes\":[0],\"maxPerMinute\":5,\"minGapMs\":3600000}}");
}

TEST(link_declares_its_striker_first_on_every_connection) {
  Bench bench(true);
  bench.outbox.push({0, 1000, 1});
  bench.run(5);
  const auto texts = bench.relay.texts();
  CHECK(!texts.empty() && texts[0] == "{\"type\":\"capabilities\",\"striker\":{\"chimes\":[0,1,2],\"maxPerMinute\":30,\"minGapMs\":1500}}");
  bench.relay.send(0x8, std::string("\x03\xE9", 2));
  bench.run(500);
  CHECK(bench.link->open());
  CHECK_EQ(bench.textsOfType("capabilities").size(), 2u);
  Bench none(false);
  none.run(500);
  CHECK(none.textsOfType("capabilities").empty());
}

TEST(link_rings_within_limits_and_refuses_a_flood_it_counts_in_its_status) {
  Bench bench(true);
  bench.run(5);
  bench.relay.send(0x1, "{\"type\":\"ring\",\"chime\":1,\"v\":1,\"id\":7}");
  bench.run(1);
  CHECK(bench.output.edges == std::vector<std::string>{"on 1"});
  bench.run(STRIKER_PULSE_MS);
  CHECK(bench.output.edges == (std::vector<std::string>{"on 1", "off 1"}));
  // A flood: 50 rings in one read, a malformed one and one for a chime without a solenoid.
  for (int i = 0; i < 50; i++) bench.relay.send(0x1, "{\"type\":\"ring\",\"chime\":" + std::to_string(i % 3) + ",\"v\":1,\"id\":" + std::to_string(8 + i) + "}");
  bench.relay.send(0x1, "{\"type\":\"ring\",\"chime\":\"2\"}");
  bench.relay.send(0x1, "{\"type\":\"ring\",\"chime\":5}");
  bench.run(1000);
  CHECK(bench.link->open());
  CHECK_EQ(bench.output.edges.size(), 2u);  // within 1.5 s of the first ring: nothing more rung
  CHECK_EQ(bench.striker.refused(), 51u);
  CHECK_EQ(bench.link->ringsRefused(), 52u);
  CHECK_EQ(bench.link->unreadableFrames(), 1u);
  CHECK_EQ(bench.rings.seen.size(), 53u);
  CHECK(bench.rings.seen.size() == 53u && bench.rings.seen[51] == "0:malformed" && bench.rings.seen[52] == "5:not_on_striker");
  bench.run(600);  // the gap has passed: a ring within limits rings again
  bench.relay.send(0x1, "{\"type\":\"ring\",\"chime\":2,\"v\":0.5,\"id\":99}");
  bench.run(1);
  CHECK(bench.output.edges.size() == 3u && bench.output.edges[2] == "on 2");
  bench.run(1000);
  const auto statuses = bench.textsOfType("status");
  CHECK(statuses.size() >= 2u);
  CHECK(!statuses.empty() && statuses.back().find(",\"ringsRefused\":52}") != std::string::npos);
}

TEST(link_without_a_striker_rings_nothing_and_counts_the_command) {
  Bench bench(false);
  bench.run(5);
  bench.relay.send(0x1, "{\"type\":\"ring\",\"chime\":1}");
  bench.run(2);
  CHECK(bench.output.edges.empty());
  CHECK_EQ(bench.link->ringsRefused(), 1u);
  CHECK(bench.rings.seen == std::vector<std::string>{"1:no_striker"});
  // Errors are still told apart from rings.
  bench.relay.send(0x1, "{\"type\":\"error\",\"code\":\"rate_limited\"}");
  bench.run(2);
  CHECK_EQ(bench.link->rateLimitedNotices(), 1u);
  for (const auto& status : bench.textsOfType("status")) CHECK(status.find("ringsRefused") == std::string::npos);
}
