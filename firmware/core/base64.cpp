#include "base64.h"

namespace aeolian {

void base64Encode(const uint8_t* data, size_t length, char* out) {
  static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < length; i += 3) {
    const uint32_t b0 = data[i];
    const uint32_t b1 = i + 1 < length ? data[i + 1] : 0;
    const uint32_t b2 = i + 2 < length ? data[i + 2] : 0;
    const uint32_t triple = (b0 << 16) | (b1 << 8) | b2;
    out[o++] = ALPHABET[(triple >> 18) & 63];
    out[o++] = ALPHABET[(triple >> 12) & 63];
    out[o++] = i + 1 < length ? ALPHABET[(triple >> 6) & 63] : '=';
    out[o++] = i + 2 < length ? ALPHABET[triple & 63] : '=';
  }
}

}  // namespace aeolian
