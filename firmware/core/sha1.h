// SHA-1, only to check the relay's Sec-WebSocket-Accept (RFC 6455 section 4.2.2): a reply that does
// not match is not a websocket server and gets no strikes. Not used for anything secret.
#pragma once
#include <cstddef>
#include <cstdint>

namespace aeolian {

constexpr size_t SHA1_DIGEST_BYTES = 20;

void sha1(const uint8_t* data, size_t length, uint8_t digest[SHA1_DIGEST_BYTES]);

}  // namespace aeolian
