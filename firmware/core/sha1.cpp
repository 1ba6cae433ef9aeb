#include "sha1.h"

namespace aeolian {

namespace {

uint32_t rotl(uint32_t value, unsigned bits) { return (value << bits) | (value >> (32 - bits)); }

void compress(uint32_t state[5], const uint8_t block[64]) {
  uint32_t w[80];
  for (int i = 0; i < 16; i++) {
    w[i] = (uint32_t(block[4 * i]) << 24) | (uint32_t(block[4 * i + 1]) << 16) | (uint32_t(block[4 * i + 2]) << 8) |
           uint32_t(block[4 * i + 3]);
  }
  for (int i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDC;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6;
    }
    const uint32_t next = rotl(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = next;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
}

}  // namespace

void sha1(const uint8_t* data, size_t length, uint8_t digest[SHA1_DIGEST_BYTES]) {
  uint32_t state[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  size_t offset = 0;
  for (; offset + 64 <= length; offset += 64) compress(state, data + offset);
  // Padding: 0x80, zeros, then the bit length big-endian in the last 8 bytes of a block.
  uint8_t tail[128] = {};
  const size_t rest = length - offset;
  for (size_t i = 0; i < rest; i++) tail[i] = data[offset + i];
  tail[rest] = 0x80;
  const size_t tailBlocks = rest + 9 > 64 ? 2 : 1;
  const uint64_t bits = static_cast<uint64_t>(length) * 8;
  for (int i = 0; i < 8; i++) tail[tailBlocks * 64 - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  for (size_t block = 0; block < tailBlocks; block++) compress(state, tail + 64 * block);
  for (int i = 0; i < 5; i++) {
    digest[4 * i] = static_cast<uint8_t>(state[i] >> 24);
    digest[4 * i + 1] = static_cast<uint8_t>(state[i] >> 16);
    digest[4 * i + 2] = static_cast<uint8_t>(state[i] >> 8);
    digest[4 * i + 3] = static_cast<uint8_t>(state[i]);
  }
}

}  // namespace aeolian
