// The interrupt queue and the per-contact debounce: nothing lost between a producer thread and the
// loop, bounce and chatter swallowed, simultaneous contacts all kept.
#include <string>
#include <thread>
#include <vector>
#include "check.h"
#include "contactDebouncer.h"
#include "strikeCollector.h"
#include "strikeQueue.h"

using namespace aeolian;

TEST(queue_is_fifo_and_counts_overflow) {
  StrikeQueue<4> queue;
  for (uint8_t i = 0; i < 6; i++) queue.push(i, 100 + i);
  CHECK_EQ(queue.overflowed(), 2u);
  ContactEdge edge{};
  for (uint8_t i = 0; i < 4; i++) {
    CHECK(queue.pop(edge));
    CHECK_EQ(edge.contact, i);
    CHECK_EQ(edge.atMs, 100u + i);
  }
  CHECK(!queue.pop(edge));
}

TEST(queue_between_two_threads_loses_and_reorders_nothing) {
  // The producer stands in for the interrupt: it never waits, the consumer drains concurrently.
  static StrikeQueue<256> queue;
  constexpr uint32_t COUNT = 200000;
  std::thread producer([] {
    for (uint32_t i = 0; i < COUNT; i++) {
      while (!queue.push(static_cast<uint8_t>(i % 6), i)) std::this_thread::yield();
    }
  });
  uint32_t expected = 0;
  bool inOrder = true;
  ContactEdge edge{};
  while (expected < COUNT) {
    if (!queue.pop(edge)) continue;
    inOrder = inOrder && edge.atMs == expected && edge.contact == expected % 6;
    expected++;
  }
  producer.join();
  CHECK(inOrder);
  CHECK_EQ(expected, COUNT);
}

TEST(debounce_swallows_bounce_within_the_lockout) {
  ContactDebouncer debouncer;  // 150 ms default
  CHECK_EQ(debouncer.lockoutMs(), 150u);
  CHECK(debouncer.accept(2, 1000));
  CHECK(!debouncer.accept(2, 1001));
  CHECK(!debouncer.accept(2, 1149));
  CHECK(debouncer.accept(2, 1150));
  CHECK_EQ(debouncer.swallowed(), 2u);
}

TEST(debounce_keeps_six_contacts_closing_in_the_same_millisecond) {
  ContactDebouncer debouncer;
  int accepted = 0;
  for (uint8_t contact = 0; contact < 6; contact++) accepted += debouncer.accept(contact, 5000);
  // Each one chatters for 20 ms against its chime: none of that is a strike.
  for (uint32_t t = 5000; t < 5020; t++) {
    for (uint8_t contact = 0; contact < 6; contact++) accepted += debouncer.accept(contact, t);
  }
  CHECK_EQ(accepted, 6);
}

TEST(debounce_lockout_is_configurable_and_survives_the_millis_wrap) {
  ContactDebouncer debouncer(40);
  CHECK(debouncer.accept(0, 0xFFFFFFF0u));
  CHECK(!debouncer.accept(0, 0x00000010u));  // 32 ms later, across the wrap
  CHECK(debouncer.accept(0, 0x00000018u));   // 40 ms later
  CHECK(!debouncer.accept(64, 0));           // no such contact
}

TEST(collector_turns_chattering_closures_into_one_strike_each_in_order) {
  StrikeQueue<64> queue;
  ContactDebouncer debouncer;
  Strike storage[16];
  StrikeOutbox outbox(storage, 16, 6);
  for (uint8_t contact = 0; contact < 6; contact++) queue.push(contact, 100);  // same millisecond
  for (uint32_t t = 101; t < 110; t++) queue.push(static_cast<uint8_t>(t % 6), t);  // chatter
  queue.push(7, 120);  // a contact the station does not have: counted, never sent
  CHECK_EQ(collectStrikes(queue, debouncer, outbox), 6u);
  CHECK_EQ(outbox.dropped(), 1u);
  char out[64];
  size_t count = 0;
  const size_t bytes = outbox.encodeUnsent(100, out, sizeof(out), count);
  CHECK_STR(out, bytes, "0,1,2,3,4,5");
}
