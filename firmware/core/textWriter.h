// Bounded text building without printf (newlib's printf family may allocate, and we allocate
// nothing after setup). Once something does not fit, the writer is `overflowed` and stays so.
#pragma once
#include <cstddef>
#include <cstdint>

namespace aeolian {

class TextWriter {
 public:
  TextWriter(char* out, size_t capacity) : out_(out), capacity_(capacity) {}

  TextWriter& text(const char* value);
  TextWriter& text(const char* value, size_t length);
  TextWriter& number(uint32_t value);
  TextWriter& number(int32_t value);
  /** Lowercase hex digits, no leading zeros (0 is "0"). */
  TextWriter& hex(uint32_t value);

  size_t length() const { return length_; }
  bool overflowed() const { return overflowed_; }

 private:
  char* out_;
  size_t capacity_;
  size_t length_ = 0;
  bool overflowed_ = false;
};

}  // namespace aeolian
