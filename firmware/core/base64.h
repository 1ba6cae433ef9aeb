// Standard base64 (RFC 4648, with padding), for the websocket handshake's key and accept values.
#pragma once
#include <cstddef>
#include <cstdint>

namespace aeolian {

/** Bytes base64Encode writes for `length` input bytes (no NUL). */
constexpr size_t base64Length(size_t length) { return (length + 2) / 3 * 4; }

/** Writes base64Length(length) characters to `out`; no NUL. */
void base64Encode(const uint8_t* data, size_t length, char* out);

}  // namespace aeolian
