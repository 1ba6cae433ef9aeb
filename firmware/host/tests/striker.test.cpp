// The striker's own limits: rings within them ring, with a pulse that ends on time in poll(); the
// gap, per-chime gap and per-minute limits refuse and count; the hard caps beat any config; a flood
// is refused and counted; and all of it holds across the millis() wrap.
#include <string>
#include <vector>
#include "check.h"
#include "striker.h"

using namespace aeolian;

namespace {

struct RecordingOutput : StrikerOutput {
  struct Edge {
    bool on;
    uint8_t chime;
    uint32_t atMs;
  };
  std::vector<Edge> edges;
  uint32_t now = 0;
  int energised = 0;
  int mostAtOnce = 0;
  void on(uint8_t chime) override {
    edges.push_back({true, chime, now});
    energised++;
    if (energised > mostAtOnce) mostAtOnce = energised;
  }
  void off(uint8_t chime) override {
    edges.push_back({false, chime, now});
    energised--;
  }
  int pulses() const {
    int count = 0;
    for (const auto& edge : edges) count += edge.on;
    return count;
  }
};

constexpr uint64_t CHIMES_0_TO_5 = 0x3F;

struct Bench {
  RecordingOutput output;
  Striker striker;
  explicit Bench(const StrikerConfig& config, uint32_t start = 0) : striker(config, output) { output.now = start; }
  RingOutcome ring(uint8_t chime, uint16_t velocity = VELOCITY_FULL) { return striker.ring(chime, velocity, output.now); }
  /** Advances the clock one millisecond at a time, polling as loop() does. */
  void run(uint32_t ms) {
    for (uint32_t i = 0; i < ms; i++) {
      output.now++;
      striker.poll(output.now);
    }
  }
};

StrikerConfig config(uint32_t maxPerMinute, uint32_t minGapMs, uint32_t chimeMinGapMs) {
  return StrikerConfig{CHIMES_0_TO_5, maxPerMinute, minGapMs, chimeMinGapMs, STRIKER_PULSE_MS};
}

}  // namespace

TEST(striker_rings_within_limits_with_a_pulse_that_ends_on_time) {
  Bench bench(config(20, 300, 600));
  CHECK(bench.ring(2) == RingOutcome::rung);
  CHECK(bench.striker.pulsing());
  CHECK(bench.output.edges.size() == 1u && bench.output.edges[0].on && bench.output.edges[0].chime == 2);
  bench.run(STRIKER_PULSE_MS - 1);
  CHECK_EQ(bench.output.edges.size(), 1u);  // still on one millisecond before the end
  bench.run(1);
  CHECK(bench.output.edges.size() == 2u && !bench.output.edges[1].on && bench.output.edges[1].chime == 2);
  CHECK_EQ(bench.output.edges[1].atMs - bench.output.edges[0].atMs, STRIKER_PULSE_MS);
  CHECK(!bench.striker.pulsing());
  bench.run(300);
  CHECK(bench.ring(3) == RingOutcome::rung);  // another chime, once the gap has passed
  CHECK_EQ(bench.striker.rings(), 2u);
  CHECK_EQ(bench.striker.refused(), 0u);
}

TEST(striker_velocity_sets_the_pulse_between_the_softest_and_the_configured_full) {
  Bench bench(config(20, 300, 600));
  bench.ring(0, 0);
  bench.run(STRIKER_MIN_PULSE_MS);
  CHECK(!bench.striker.pulsing());
  bench.run(300);
  bench.ring(1, 500);
  bench.run((STRIKER_MIN_PULSE_MS + STRIKER_PULSE_MS) / 2 - 1);
  CHECK(bench.striker.pulsing());
  bench.run(1);
  CHECK(!bench.striker.pulsing());
  bench.run(300);
  bench.ring(2, 65535);  // out of range is full, never longer
  bench.run(STRIKER_PULSE_MS);
  CHECK(!bench.striker.pulsing());
}

TEST(striker_refuses_rings_within_the_gap_and_the_chimes_own_gap) {
  Bench bench(config(20, 300, 1000));
  CHECK(bench.ring(0) == RingOutcome::rung);
  bench.run(299);
  CHECK(bench.ring(1) == RingOutcome::gap);
  bench.run(1);
  CHECK(bench.ring(0) == RingOutcome::chimeGap);  // 300 ms: past the gap, not past chime 0's own
  CHECK(bench.ring(1) == RingOutcome::rung);
  bench.run(700);
  CHECK(bench.ring(0) == RingOutcome::rung);  // 1000 ms after its last ring
  CHECK_EQ(bench.striker.refusedFor(RingOutcome::gap), 1u);
  CHECK_EQ(bench.striker.refusedFor(RingOutcome::chimeGap), 1u);
  CHECK_EQ(bench.striker.refused(), 2u);
}

TEST(striker_refuses_chimes_without_a_solenoid) {
  Bench bench(StrikerConfig{0x5, 20, 300, 600, STRIKER_PULSE_MS});  // chimes 0 and 2
  CHECK(bench.ring(1) == RingOutcome::notOnStriker);
  CHECK(bench.ring(63) == RingOutcome::notOnStriker);
  CHECK(bench.ring(200) == RingOutcome::notOnStriker);
  CHECK(bench.ring(2) == RingOutcome::rung);
  CHECK_EQ(bench.output.pulses(), 1);
}

TEST(striker_keeps_to_its_rings_per_minute_in_a_sliding_window) {
  Bench bench(config(3, 250, 500));
  for (int i = 0; i < 3; i++) {
    CHECK(bench.ring(static_cast<uint8_t>(i)) == RingOutcome::rung);
    bench.run(1000);
  }
  CHECK(bench.ring(3) == RingOutcome::perMinute);
  bench.run(STRIKER_WINDOW_MS - 3000 - 1);  // 1 ms before the first ring leaves the window
  CHECK(bench.ring(3) == RingOutcome::perMinute);
  bench.run(1);
  CHECK(bench.ring(3) == RingOutcome::rung);
  CHECK(bench.ring(4) == RingOutcome::gap);
  bench.run(250);
  CHECK(bench.ring(4) == RingOutcome::perMinute);  // the second ring is still in the window
  bench.run(750);
  CHECK(bench.ring(4) == RingOutcome::rung);
  CHECK_EQ(bench.striker.refusedFor(RingOutcome::perMinute), 3u);
}

TEST(striker_hard_caps_beat_any_config) {
  Bench bench(StrikerConfig{~uint64_t(0), 100000, 0, 0, 100000});
  CHECK_EQ(bench.striker.limits().maxPerMinute, STRIKER_ABSOLUTE_MAX_PER_MINUTE);
  CHECK_EQ(bench.striker.limits().minGapMs, STRIKER_ABSOLUTE_MIN_GAP_MS);
  CHECK_EQ(bench.striker.limits().chimeMinGapMs, STRIKER_ABSOLUTE_CHIME_MIN_GAP_MS);
  CHECK_EQ(bench.striker.limits().pulseMs, STRIKER_MAX_PULSE_MS);
  // Ask for a ring every millisecond for two minutes, round the chimes.
  for (uint32_t i = 0; i < 2 * STRIKER_WINDOW_MS; i++) {
    bench.ring(static_cast<uint8_t>(i % 64));
    bench.run(1);
  }
  CHECK(bench.output.pulses() <= static_cast<int>(2 * STRIKER_ABSOLUTE_MAX_PER_MINUTE));
  CHECK(bench.output.pulses() >= static_cast<int>(STRIKER_ABSOLUTE_MAX_PER_MINUTE));
  CHECK_EQ(bench.output.mostAtOnce, 1);  // one coil at a time
  // No two pulses closer than the floor, and none longer than the longest pulse.
  uint32_t lastOn = 0;
  bool seenOn = false;
  for (const auto& edge : bench.output.edges) {
    if (edge.on) {
      if (seenOn) CHECK(edge.atMs - lastOn >= STRIKER_ABSOLUTE_MIN_GAP_MS);
      lastOn = edge.atMs;
      seenOn = true;
    } else {
      CHECK(edge.atMs - lastOn <= STRIKER_MAX_PULSE_MS);
    }
  }
  Bench soft(StrikerConfig{1, 5, 300, 600, 0});
  CHECK_EQ(soft.striker.limits().pulseMs, STRIKER_MIN_PULSE_MS);
}

TEST(striker_refuses_and_counts_a_flood) {
  Bench bench(config(10, 500, 1000));
  uint32_t asked = 0;
  for (uint32_t ms = 0; ms < 10000; ms++) {
    for (int burst = 0; burst < 5; burst++, asked++) bench.ring(static_cast<uint8_t>(asked % 6));
    bench.run(1);
  }
  CHECK_EQ(bench.striker.rings(), 10u);  // 10 in the minute, 500 ms apart: all within 10 s
  CHECK_EQ(bench.striker.rings() + bench.striker.refused(), asked);
  CHECK_EQ(bench.output.pulses(), 10);
  CHECK(!bench.striker.pulsing());
}

TEST(striker_limits_hold_across_the_millis_wrap) {
  Bench bench(config(2, 300, 600), 0xFFFFFFFFu - 100);
  CHECK(bench.ring(0) == RingOutcome::rung);
  bench.run(STRIKER_PULSE_MS);
  CHECK(!bench.striker.pulsing());
  bench.run(200);  // now past the wrap, 220 ms after the ring
  CHECK(bench.output.now < 1000u);
  CHECK(bench.ring(1) == RingOutcome::gap);
  bench.run(80);
  CHECK(bench.ring(0) == RingOutcome::chimeGap);
  CHECK(bench.ring(1) == RingOutcome::rung);
  bench.run(300);
  CHECK(bench.ring(2) == RingOutcome::perMinute);  // both rings, either side of the wrap, count
  bench.run(STRIKER_WINDOW_MS);
  CHECK(bench.ring(2) == RingOutcome::rung);
  // A pulse started just before the wrap ends on time after it.
  Bench edge(config(2, 300, 600), 0xFFFFFFFFu - 5);
  edge.ring(0);
  edge.run(STRIKER_PULSE_MS);
  CHECK(!edge.striker.pulsing());
  CHECK_EQ(edge.output.edges.back().atMs, STRIKER_PULSE_MS - 6);
}

TEST(striker_rings_again_after_a_whole_wrap_of_millis) {
  // 2^32 ms later millis() reads the same as at the last ring: poll() must have forgotten it by then.
  Bench bench(config(1, 300, 600));
  CHECK(bench.ring(0) == RingOutcome::rung);
  for (uint32_t step = 0; step < 4096; step++) {
    bench.output.now += 1u << 20;  // a loop() every 17 minutes for 49.7 days
    bench.striker.poll(bench.output.now);
  }
  CHECK_EQ(bench.output.now, 0u);
  CHECK(bench.ring(0) == RingOutcome::rung);
}
