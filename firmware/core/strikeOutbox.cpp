#include "strikeOutbox.h"
#include "protocolLimits.h"
#include "textWriter.h"

namespace aeolian {

namespace {
/** `a` is before `b` on the free-running position counter. */
bool before(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }
}  // namespace

void StrikeOutbox::dropOldest() {
  first_++;
  if (before(next_, first_)) next_ = first_;
  dropped_++;
}

bool StrikeOutbox::push(const Strike& strike) {
  // Age 0 at push time: only chime and velocity can be wrong here.
  if (validateStrike(strike, strike.atMs, chimes_) != StrikeError::none) {
    dropped_++;
    return false;
  }
  if (end_ - first_ >= capacity_) dropOldest();
  slots_[end_ % capacity_] = strike;
  end_++;
  return true;
}

void StrikeOutbox::expire(uint32_t nowMs) {
  while (first_ != end_ && elapsedMs(nowMs, at(first_).atMs) > MAX_STRIKE_AGE_MS) dropOldest();
}

size_t StrikeOutbox::encodeUnsent(uint32_t nowMs, char* out, size_t budgetBytes, size_t& strikesEncoded, const uint32_t* markBoot) {
  expire(nowMs);
  // "#" + 8 hex digits + "/" + 10 decimal digits + ",": the longest mark.
  char mark[21];
  size_t markLength = 0;
  if (markBoot != nullptr) {
    TextWriter writer(mark, sizeof(mark));
    writer.text("#").hex(*markBoot).text("/").number(next_).text(",");
    markLength = writer.length();
  }
  strikesEncoded = 0;
  if (markLength >= budgetBytes) return 0;
  CompactWriter writer(out + markLength, budgetBytes - markLength);
  for (uint32_t position = next_; position != end_ && writer.append(at(position), nowMs); position++) {
  }
  strikesEncoded = writer.strikes();
  if (strikesEncoded == 0) return 0;
  for (size_t i = 0; i < markLength; i++) out[i] = mark[i];
  return markLength + writer.bytes();
}

uint32_t StrikeOutbox::markSent(size_t count) {
  const uint32_t wanted = next_ + static_cast<uint32_t>(count);
  next_ = before(end_, wanted) ? end_ : wanted;
  return next_;
}

void StrikeOutbox::acknowledge(uint32_t mark) {
  // A mark from before a drop may point behind first_: never move backwards, nor past the end.
  if (!before(first_, mark) || before(end_, mark)) return;
  first_ = mark;
  if (before(next_, first_)) next_ = first_;
}

}  // namespace aeolian
