// The websocket opening handshake (RFC 6455 section 4) as a device makes it: GET /device with
// `Authorization: Bearer <token>`, then the reply's status and Sec-WebSocket-Accept checked, so a
// proxy's error page or a captive portal is never mistaken for the relay.
#pragma once
#include <cstddef>
#include <cstdint>

namespace aeolian {

/**
 * A relay that takes resend marks (docs/protocol.md, "Resends") says so in its 101 with this header,
 * value `1` (src/protocol/deviceFrame.ts, RESEND_MARKS_HEADER).
 */
constexpr const char RESEND_MARKS_HEADER[] = "Aeolian-Resend-Marks";

/** Longest reply head kept; the relay's 101 is about 160 bytes. */
constexpr size_t HANDSHAKE_REPLY_HEAD_BYTES = 768;
/** Sec-WebSocket-Key: 16 random bytes in base64. */
constexpr size_t WS_KEY_CHARS = 24;
constexpr size_t WS_ACCEPT_CHARS = 28;

struct HandshakeRequest {
  const char* host;
  uint16_t port;
  const char* path;
  const char* token;
};

/**
 * Writes the request into `out` and the Sec-WebSocket-Accept the server must answer into
 * `expectedAccept`. Returns the request's length, or 0 if it does not fit.
 */
size_t writeHandshakeRequest(const HandshakeRequest& request, const uint8_t key[16], char* out, size_t capacity,
                             char expectedAccept[WS_ACCEPT_CHARS]);

enum class HandshakeStatus : uint8_t {
  incomplete,    // keep reading
  accepted,      // 101 with the right accept value: the link is open
  unauthorized,  // 401: the token is unknown to the relay (provisioning problem, not the network)
  refused,       // another HTTP status
  malformed,     // not HTTP, a wrong accept value, or a head too long
};

class HandshakeReader {
 public:
  explicit HandshakeReader(const char* expectedAccept) : expectedAccept_(expectedAccept) {}

  /**
   * Feeds reply bytes; `consumed` says how many belonged to the head (the rest are already
   * websocket frames). The HTTP status is kept for logs.
   */
  HandshakeStatus feed(const uint8_t* data, size_t length, size_t& consumed);
  uint16_t httpStatus() const { return httpStatus_; }
  /** Whether the accepted reply said the relay takes resend marks. */
  bool resendMarks() const { return resendMarks_; }

 private:
  HandshakeStatus judge();

  const char* expectedAccept_;
  char head_[HANDSHAKE_REPLY_HEAD_BYTES] = {};
  size_t length_ = 0;
  uint16_t httpStatus_ = 0;
  bool resendMarks_ = false;
};

}  // namespace aeolian
