#include "strikerMessages.h"
#include "textWriter.h"

namespace aeolian {

namespace {

/** Nesting a skipped value may have; deeper is malformed (the relay sends flat objects). */
constexpr int MAX_SKIP_DEPTH = 8;

struct Span {
  const char* at = nullptr;
  size_t length = 0;
};

class Reader {
 public:
  Reader(const char* text, size_t length) : p_(text), end_(text + length) {}

  void skipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) p_++;
  }
  bool take(char c) {
    skipSpace();
    if (p_ < end_ && *p_ == c) {
      p_++;
      return true;
    }
    return false;
  }
  bool atEnd() {
    skipSpace();
    return p_ == end_;
  }
  char peek() {
    skipSpace();
    return p_ < end_ ? *p_ : '\0';
  }

  /** A JSON string; its raw body (escapes left as written) in `out`. */
  bool string(Span& out) {
    if (!take('"')) return false;
    out.at = p_;
    while (p_ < end_ && *p_ != '"') {
      if (static_cast<unsigned char>(*p_) < 0x20) return false;
      if (*p_ == '\\') p_++;
      p_++;
    }
    if (p_ >= end_) return false;
    out.length = static_cast<size_t>(p_ - out.at);
    p_++;
    return true;
  }

  /** A JSON number's text (checked against the grammar). */
  bool number(Span& out) {
    skipSpace();
    out.at = p_;
    if (p_ < end_ && *p_ == '-') p_++;
    if (!digits(true)) return false;
    if (p_ < end_ && *p_ == '.') {
      p_++;
      if (!digits(false)) return false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      p_++;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) p_++;
      if (!digits(false)) return false;
    }
    out.length = static_cast<size_t>(p_ - out.at);
    return true;
  }

  /** Any JSON value, not kept. */
  bool skipValue(int depth) {
    const char c = peek();
    Span ignored;
    if (c == '"') return string(ignored);
    if (c == '-' || (c >= '0' && c <= '9')) return number(ignored);
    if (c == 't') return word("true");
    if (c == 'f') return word("false");
    if (c == 'n') return word("null");
    if ((c != '{' && c != '[') || depth >= MAX_SKIP_DEPTH) return false;
    const char close = c == '{' ? '}' : ']';
    p_++;
    if (take(close)) return true;
    do {
      if (c == '{' && !(string(ignored) && take(':'))) return false;
      if (!skipValue(depth + 1)) return false;
    } while (take(','));
    return take(close);
  }

 private:
  bool digits(bool integerPart) {
    const char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') p_++;
    if (p_ == start) return false;
    return !(integerPart && *start == '0' && p_ - start > 1);  // no leading zeros
  }
  bool word(const char* text) {
    for (; *text != '\0'; text++, p_++) {
      if (p_ >= end_ || *p_ != *text) return false;
    }
    return true;
  }

  const char* p_;
  const char* end_;
};

bool contains(const char* text, size_t length, const char* needle) {
  size_t needleLength = 0;
  while (needle[needleLength] != '\0') needleLength++;
  for (size_t i = 0; i + needleLength <= length; i++) {
    size_t j = 0;
    while (j < needleLength && text[i + j] == needle[j]) j++;
    if (j == needleLength) return true;
  }
  return false;
}

bool equals(const Span& span, const char* text) {
  size_t i = 0;
  for (; i < span.length; i++) {
    if (text[i] == '\0' || text[i] != span.at[i]) return false;
  }
  return text[i] == '\0';
}

/** A non-negative integer written as plain digits, at most `max`. */
bool readInteger(const Span& span, uint64_t max, uint64_t& out) {
  if (span.length == 0 || span.length > 16) return false;  // 2^53 has 16 digits
  uint64_t value = 0;
  for (size_t i = 0; i < span.length; i++) {
    const char c = span.at[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > max) return false;
  out = value;
  return true;
}

/** A number in [0, 1] as thousandths, rounded; false outside the range. */
bool readUnitThousandths(const Span& span, uint16_t& out) {
  uint64_t mantissa = 0;
  int32_t exponent = 0;  // value = mantissa * 10^exponent
  int significant = 0;
  bool negative = false;
  bool fraction = false;
  size_t i = 0;
  if (i < span.length && span.at[i] == '-') {
    negative = true;
    i++;
  }
  for (; i < span.length && span.at[i] != 'e' && span.at[i] != 'E'; i++) {
    const char c = span.at[i];
    if (c == '.') {
      fraction = true;
      continue;
    }
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (significant < 18) {
      if (mantissa != 0 || digit != 0) significant++;
      mantissa = mantissa * 10 + digit;
      if (fraction) exponent--;
    } else if (!fraction) {
      exponent++;  // digits past 18 significant ones only scale the integer part
    }
  }
  if (i < span.length) {
    i++;
    bool negativeExponent = false;
    if (span.at[i] == '+' || span.at[i] == '-') negativeExponent = span.at[i++] == '-';
    int32_t written = 0;
    for (; i < span.length; i++) {
      if (written < 100000) written = written * 10 + (span.at[i] - '0');
    }
    exponent += negativeExponent ? -written : written;
  }
  if (mantissa == 0) {
    out = 0;
    return true;
  }
  if (negative || exponent > 0) return false;
  // value <= 1  <=>  mantissa <= 10^-exponent; past 19 digits of exponent the value is tiny.
  if (-exponent <= 18) {
    uint64_t one = 1;
    for (int32_t e = 0; e < -exponent; e++) one *= 10;
    if (mantissa > one) return false;
  }
  const int32_t shift = exponent + 3;  // to thousandths
  if (shift >= 0) {
    uint64_t value = mantissa;
    for (int32_t e = 0; e < shift; e++) value *= 10;  // mantissa <= 10^-exponent keeps this <= 1000
    out = static_cast<uint16_t>(value);
    return true;
  }
  if (-shift > 19) {
    out = 0;
    return true;
  }
  uint64_t divisor = 1;
  for (int32_t e = 0; e < -shift; e++) divisor *= 10;
  out = static_cast<uint16_t>((mantissa + divisor / 2) / divisor);  // half up; mantissa < 10^18, no overflow
  return true;
}

}  // namespace

RelayMessage readRelayMessage(const char* text, size_t length, bool truncated) {
  RelayMessage message{RelayMessageKind::malformed, RingCommand{0, VELOCITY_FULL, 0}, RelayErrorCode::other, false};
  if (truncated) {
    if (contains(text, length, "\"type\":\"error\"")) {
      message.kind = RelayMessageKind::error;
      message.error = contains(text, length, "\"rate_limited\"")  ? RelayErrorCode::rateLimited
                      : contains(text, length, "\"bad_message\"") ? RelayErrorCode::badMessage
                                                                   : RelayErrorCode::other;
    }
    return message;
  }
  Reader reader(text, length);
  if (!reader.take('{')) return message;
  Span type, code, chime, velocity, id;
  bool hasType = false, hasCode = false, hasChime = false, hasVelocity = false, hasId = false;
  bool typeIsText = true, chimeIsNumber = true, velocityIsNumber = true, idIsNumber = true, codeIsText = true;
  if (!reader.take('}')) {
    do {
      Span key;
      if (!reader.string(key) || !reader.take(':')) return message;
      // The fields used are read as their JSON kind; a wrong kind makes the message malformed below.
      const bool wantsText = equals(key, "type") || equals(key, "code");
      const bool wantsNumber = equals(key, "chime") || equals(key, "v") || equals(key, "id");
      Span value;
      bool ok = false;
      const char next = reader.peek();
      const bool isText = next == '"';
      const bool isNumber = next == '-' || (next >= '0' && next <= '9');
      if (wantsText && isText) ok = reader.string(value);
      else if (wantsNumber && isNumber) ok = reader.number(value);
      else ok = reader.skipValue(0);
      if (!ok) return message;
      if (equals(key, "type")) hasType = true, typeIsText = isText, type = value;
      else if (equals(key, "code")) hasCode = true, codeIsText = isText, code = value;
      else if (equals(key, "chime")) hasChime = true, chimeIsNumber = isNumber, chime = value;
      else if (equals(key, "v")) hasVelocity = true, velocityIsNumber = isNumber, velocity = value;
      else if (equals(key, "id")) hasId = true, idIsNumber = isNumber, id = value;
    } while (reader.take(','));
    if (!reader.take('}')) return message;
  }
  if (!reader.atEnd()) return message;
  if (!hasType || !typeIsText) {
    message.kind = RelayMessageKind::other;
    return message;
  }
  if (equals(type, "ring")) {
    message.typeRing = true;
    // The id first, so a ring refused as malformed can still be named in the logs.
    if (hasId && (!idIsNumber || !readInteger(id, MAX_RING_ID, message.ring.id))) return message;
    uint64_t value = 0;
    if (!hasChime || !chimeIsNumber || !readInteger(chime, MAX_CHIMES_PER_STATION - 1, value)) return message;
    message.ring.chime = static_cast<uint8_t>(value);
    if (hasVelocity && (!velocityIsNumber || !readUnitThousandths(velocity, message.ring.velocity))) return message;
    message.kind = RelayMessageKind::ring;
  } else if (equals(type, "error")) {
    message.kind = RelayMessageKind::error;
    if (hasCode && codeIsText && equals(code, "bad_message")) message.error = RelayErrorCode::badMessage;
    else if (hasCode && codeIsText && equals(code, "rate_limited")) message.error = RelayErrorCode::rateLimited;
  } else {
    message.kind = RelayMessageKind::other;
  }
  return message;
}

size_t writeCapabilitiesMessage(const StrikerConfig& limits, char* out, size_t capacity) {
  if (limits.chimes == 0 || limits.maxPerMinute == 0) return 0;
  TextWriter writer(out, capacity);
  writer.text("{\"type\":\"capabilities\",\"striker\":{\"chimes\":[");
  bool first = true;
  for (uint8_t chime = 0; chime < MAX_CHIMES_PER_STATION; chime++) {
    if ((limits.chimes & (uint64_t(1) << chime)) == 0) continue;
    if (!first) writer.text(",");
    writer.number(static_cast<uint32_t>(chime));
    first = false;
  }
  // A gap longer than the relay takes is declared as the longest it takes: the relay then sends rings
  // the board refuses (counted), rather than refusing the whole declaration.
  const uint32_t declaredGapMs = limits.minGapMs > MAX_STRIKER_GAP_MS ? MAX_STRIKER_GAP_MS : limits.minGapMs;
  writer.text("],\"maxPerMinute\":").number(limits.maxPerMinute).text(",\"minGapMs\":").number(declaredGapMs).text("}}");
  return writer.overflowed() ? 0 : writer.length();
}

}  // namespace aeolian
