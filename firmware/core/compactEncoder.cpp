#include "compactEncoder.h"
#include "protocolLimits.h"

namespace aeolian {

namespace {

/** Longest item: `63:0.999@60000,` is 15 bytes; 24 leaves room. */
constexpr size_t MAX_ITEM_BYTES = 24;

size_t writeUnsigned(char* out, uint32_t value) {
  char digits[10];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (size_t i = 0; i < count; i++) out[i] = digits[count - 1 - i];
  return count;
}

/** Thousandths as the shortest decimal: 700 -> "0.7", 5 -> "0.005", 0 -> "0". */
size_t writeVelocity(char* out, uint16_t thousandths) {
  if (thousandths == 0) {
    out[0] = '0';
    return 1;
  }
  char frac[3] = {static_cast<char>('0' + thousandths / 100), static_cast<char>('0' + thousandths / 10 % 10),
                  static_cast<char>('0' + thousandths % 10)};
  size_t fracLen = 3;
  while (fracLen > 0 && frac[fracLen - 1] == '0') fracLen--;
  out[0] = '0';
  out[1] = '.';
  for (size_t i = 0; i < fracLen; i++) out[2 + i] = frac[i];
  return 2 + fracLen;
}

}  // namespace

const char* strikeErrorName(StrikeError error) {
  switch (error) {
    case StrikeError::none: return "none";
    case StrikeError::chimeOutOfRange: return "chime_out_of_range";
    case StrikeError::velocityOutOfRange: return "velocity_out_of_range";
    case StrikeError::tooOld: return "too_old";
  }
  return "unknown";
}

StrikeError validateStrike(const Strike& strike, uint32_t nowMs, uint8_t chimes) {
  if (chimes > MAX_CHIMES_PER_STATION || strike.chime >= chimes) return StrikeError::chimeOutOfRange;
  if (strike.velocity > VELOCITY_FULL) return StrikeError::velocityOutOfRange;
  if (elapsedMs(nowMs, strike.atMs) > MAX_STRIKE_AGE_MS) return StrikeError::tooOld;
  return StrikeError::none;
}

bool CompactWriter::append(const Strike& strike, uint32_t nowMs) {
  char item[MAX_ITEM_BYTES];
  size_t length = 0;
  if (count_ > 0) item[length++] = ',';
  length += writeUnsigned(item + length, strike.chime);
  // v = 1 and age = 0 are the protocol's defaults: leaving them out keeps gusts in one frame.
  if (strike.velocity != VELOCITY_FULL) {
    item[length++] = ':';
    length += writeVelocity(item + length, strike.velocity);
  }
  const uint32_t age = elapsedMs(nowMs, strike.atMs);
  if (age != 0) {
    item[length++] = '@';
    length += writeUnsigned(item + length, age);
  }
  if (used_ + length > budget_) return false;
  for (size_t i = 0; i < length; i++) out_[used_ + i] = item[i];
  used_ += length;
  count_++;
  return true;
}

EncodeResult encodeCompactBatch(const Strike* strikes, size_t count, uint32_t nowMs, uint8_t chimes, char* out,
                                size_t budgetBytes) {
  for (size_t i = 0; i < count; i++) {
    const StrikeError error = validateStrike(strikes[i], nowMs, chimes);
    if (error != StrikeError::none) return EncodeResult{error, i, 0, 0};
  }
  CompactWriter writer(out, budgetBytes);
  for (size_t i = 0; i < count && writer.append(strikes[i], nowMs); i++) {
  }
  return EncodeResult{StrikeError::none, 0, writer.bytes(), writer.strikes()};
}

}  // namespace aeolian
