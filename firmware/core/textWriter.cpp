#include "textWriter.h"

namespace aeolian {

TextWriter& TextWriter::text(const char* value, size_t length) {
  if (overflowed_ || length > capacity_ - length_) {
    overflowed_ = true;
    return *this;
  }
  for (size_t i = 0; i < length; i++) out_[length_ + i] = value[i];
  length_ += length;
  return *this;
}

TextWriter& TextWriter::text(const char* value) {
  size_t length = 0;
  while (value[length] != '\0') length++;
  return text(value, length);
}

TextWriter& TextWriter::number(uint32_t value) {
  char digits[10];
  size_t count = 0;
  do {
    digits[sizeof(digits) - 1 - count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  return text(digits + sizeof(digits) - count, count);
}

TextWriter& TextWriter::hex(uint32_t value) {
  char digits[8];
  size_t count = 0;
  do {
    digits[sizeof(digits) - 1 - count++] = "0123456789abcdef"[value & 0xF];
    value >>= 4;
  } while (value != 0);
  return text(digits + sizeof(digits) - count, count);
}

TextWriter& TextWriter::number(int32_t value) {
  if (value < 0) {
    text("-", 1);
    // Negate in unsigned arithmetic: -INT32_MIN does not fit an int32_t.
    return number(static_cast<uint32_t>(0u - static_cast<uint32_t>(value)));
  }
  return number(static_cast<uint32_t>(value));
}

}  // namespace aeolian
