// The compact encoder and the outage buffer: the exact text the relay parses, the byte budget,
// acknowledgement and resend, the 60 s age limit, and a full buffer.
#include <string>
#include "check.h"
#include "compactEncoder.h"
#include "strikeOutbox.h"

using namespace aeolian;

TEST(encoder_writes_the_compact_format_with_defaults_left_out) {
  const Strike strikes[] = {{1000, 1000, 3}, {1100, 700, 1}, {1180, 5, 0}, {1200, 0, 5}};
  char out[64];
  const EncodeResult result = encodeCompactBatch(strikes, 4, 1200, 6, out, sizeof(out));
  CHECK(result.error == StrikeError::none);
  CHECK_EQ(result.strikes, 4u);
  CHECK_STR(out, result.bytes, "3@200,1:0.7@100,0:0.005@20,5:0");
}

TEST(encoder_never_passes_the_budget_and_keeps_the_rest_in_order) {
  const Strike strikes[] = {{0, 1000, 1}, {0, 1000, 2}, {0, 1000, 3}};
  char out[8];
  // "1,2,3" is 5 bytes: a budget of 4 takes "1,2" (3 bytes), since ",3" would make 5.
  const EncodeResult result = encodeCompactBatch(strikes, 3, 0, 6, out, 4);
  CHECK_EQ(result.strikes, 2u);
  CHECK_STR(out, result.bytes, "1,2");
  CHECK_EQ(encodeCompactBatch(strikes, 3, 0, 6, out, 0).strikes, 0u);
}

TEST(encoder_refuses_what_the_relay_would_refuse) {
  char out[64];
  const Strike chime[] = {{0, 1000, 1}, {0, 1000, 6}};
  CHECK(encodeCompactBatch(chime, 2, 0, 6, out, sizeof(out)).error == StrikeError::chimeOutOfRange);
  CHECK_EQ(encodeCompactBatch(chime, 2, 0, 6, out, sizeof(out)).errorIndex, 1u);
  const Strike loud[] = {{0, 1001, 1}};
  CHECK(encodeCompactBatch(loud, 1, 0, 6, out, sizeof(out)).error == StrikeError::velocityOutOfRange);
  const Strike old[] = {{0, 1000, 1}};
  CHECK(encodeCompactBatch(old, 1, 60000, 6, out, sizeof(out)).error == StrikeError::none);
  CHECK(encodeCompactBatch(old, 1, 60001, 6, out, sizeof(out)).error == StrikeError::tooOld);
  const Strike future[] = {{500, 1000, 1}};  // struck "after" now: an age would be invented
  CHECK(encodeCompactBatch(future, 1, 499, 6, out, sizeof(out)).error == StrikeError::tooOld);
  CHECK(encodeCompactBatch(old, 1, 0, 65, out, sizeof(out)).error == StrikeError::chimeOutOfRange);
}

TEST(outbox_resends_what_was_not_acknowledged_with_fresh_ages) {
  Strike storage[8];
  StrikeOutbox outbox(storage, 8, 6);
  outbox.push({100, 1000, 1});
  outbox.push({200, 1000, 2});
  char out[64];
  size_t count = 0;
  size_t bytes = outbox.encodeUnsent(300, out, sizeof(out), count);
  CHECK_STR(out, bytes, "1@200,2@100");
  const uint32_t mark = outbox.markSent(count);
  CHECK_EQ(outbox.unsent(), 0u);
  outbox.push({400, 1000, 3});
  outbox.rewind();  // the link died before the pong
  bytes = outbox.encodeUnsent(1000, out, sizeof(out), count);
  CHECK_STR(out, bytes, "1@900,2@800,3@600");
  outbox.acknowledge(mark);  // a late ack of the first two: only they are forgotten
  CHECK_EQ(outbox.pending(), 1u);
  CHECK_EQ(outbox.unsent(), 1u);
  outbox.acknowledge(mark + 5);  // an ack past anything queued is ignored
  CHECK_EQ(outbox.pending(), 1u);
  CHECK_EQ(outbox.dropped(), 0u);
}

TEST(outbox_marks_each_frame_with_the_position_of_its_first_strike_and_keeps_it_on_resend) {
  Strike storage[8];
  StrikeOutbox outbox(storage, 8, 6);
  const uint32_t boot = 0x9f3a;
  outbox.push({100, 1000, 1});
  outbox.push({200, 1000, 2});
  char out[64];
  size_t count = 0;
  size_t bytes = outbox.encodeUnsent(300, out, sizeof(out), count, &boot);
  CHECK_STR(out, bytes, "#9f3a/0,1@200,2@100");
  outbox.markSent(1);  // only the first went out in that frame
  bytes = outbox.encodeUnsent(300, out, sizeof(out), count, &boot);
  CHECK_STR(out, bytes, "#9f3a/1,2@100");
  outbox.markSent(count);
  outbox.push({400, 1000, 3});
  outbox.rewind();  // the link died: the same strikes, the same positions
  bytes = outbox.encodeUnsent(1000, out, sizeof(out), count, &boot);
  CHECK_STR(out, bytes, "#9f3a/0,1@900,2@800,3@600");
  // The mark counts against the budget, and a frame with no strike that fits is not sent at all.
  CHECK_EQ(outbox.encodeUnsent(1000, out, 13, count, &boot), 13u);  // "#9f3a/0," + "1@900"
  CHECK_EQ(count, 1u);
  CHECK_EQ(outbox.encodeUnsent(1000, out, 12, count, &boot), 0u);
  CHECK_EQ(count, 0u);
  const uint32_t wideBoot = 0xffffffffu;
  bytes = outbox.encodeUnsent(1000, out, sizeof(out), count, &wideBoot);
  CHECK_STR(out, bytes, "#ffffffff/0,1@900,2@800,3@600");
}

TEST(outbox_drops_and_counts_strikes_past_the_age_limit) {
  Strike storage[8];
  StrikeOutbox outbox(storage, 8, 6);
  outbox.push({0, 1000, 0});
  outbox.push({10000, 1000, 1});
  char out[64];
  size_t count = 0;
  const size_t bytes = outbox.encodeUnsent(60005, out, sizeof(out), count);
  CHECK_STR(out, bytes, "1@50005");
  CHECK_EQ(outbox.dropped(), 1u);
}

TEST(outbox_full_drops_the_oldest_and_refuses_unknown_chimes) {
  Strike storage[3];
  StrikeOutbox outbox(storage, 3, 6);
  for (uint8_t chime = 0; chime < 5; chime++) outbox.push({chime, 1000, chime});
  CHECK(!outbox.push({9, 1000, 6}));
  CHECK_EQ(outbox.dropped(), 3u);
  char out[64];
  size_t count = 0;
  const size_t bytes = outbox.encodeUnsent(4, out, sizeof(out), count);
  CHECK_STR(out, bytes, "2@2,3@1,4");
}

TEST(outbox_positions_survive_their_own_wrap) {
  Strike storage[4];
  StrikeOutbox outbox(storage, 4, 6);
  // Far more strikes than 2^32 would take too long; instead cycle many times through the ring.
  char out[64];
  size_t count = 0;
  for (uint32_t i = 0; i < 100000; i++) {
    outbox.push({i, 1000, static_cast<uint8_t>(i % 6)});
    outbox.encodeUnsent(i, out, sizeof(out), count);
    outbox.acknowledge(outbox.markSent(count));
  }
  CHECK_EQ(outbox.pending(), 0u);
  CHECK_EQ(outbox.dropped(), 0u);
}
