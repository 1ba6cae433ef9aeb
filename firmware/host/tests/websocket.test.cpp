// The websocket pieces: RFC test vectors for the handshake, masked client frames, an incremental
// reader that accepts what a server may send and refuses what it may not.
#include <string>
#include <vector>
#include "base64.h"
#include "check.h"
#include "sha1.h"
#include "wsFrame.h"
#include "wsHandshake.h"

using namespace aeolian;

TEST(sha1_and_base64_match_the_rfc_vectors) {
  uint8_t digest[20];
  sha1(reinterpret_cast<const uint8_t*>("abc"), 3, digest);
  char hex[41];
  for (int i = 0; i < 20; i++) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  CHECK(std::string(hex) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  const std::string million(1000000, 'a');
  sha1(reinterpret_cast<const uint8_t*>(million.data()), million.size(), digest);
  for (int i = 0; i < 20; i++) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  CHECK(std::string(hex) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  char b64[8];
  base64Encode(reinterpret_cast<const uint8_t*>("ab"), 2, b64);
  CHECK_STR(b64, 4, "YWI=");
}

TEST(handshake_sends_the_bearer_token_and_checks_the_accept_value) {
  // RFC 6455 section 1.3: key "dGhlIHNhbXBsZSBub25jZQ==" must be answered with this accept value.
  const uint8_t key[16] = {'t', 'h', 'e', ' ', 's', 'a', 'm', 'p', 'l', 'e', ' ', 'n', 'o', 'n', 'c', 'e'};
  char request[512];
  char accept[WS_ACCEPT_CHARS];
  const size_t length = writeHandshakeRequest({"relay.example", 8787, "/device", "tok"}, key, request, sizeof(request), accept);
  const std::string text(request, length);
  CHECK(text.rfind("GET /device HTTP/1.1\r\nHost: relay.example:8787\r\n", 0) == 0);
  CHECK(text.find("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n") != std::string::npos);
  CHECK(text.find("Authorization: Bearer tok\r\n\r\n") != std::string::npos);
  CHECK(std::string(accept, WS_ACCEPT_CHARS) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

  const std::string good = "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nsec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x81\x01x";
  HandshakeReader reader(accept);
  size_t consumed = 0;
  HandshakeStatus status = HandshakeStatus::incomplete;
  // Byte by byte, as a slow network delivers it; the frame after the head is left over.
  for (size_t i = 0; i < good.size() && status == HandshakeStatus::incomplete; i++) {
    status = reader.feed(reinterpret_cast<const uint8_t*>(good.data()) + i, 1, consumed);
    if (status != HandshakeStatus::incomplete) CHECK_EQ(i + 1, good.size() - 3);
  }
  CHECK(status == HandshakeStatus::accepted);
  CHECK(!reader.resendMarks());  // a relay that did not say it takes marks gets none

  HandshakeReader marking(accept);
  const std::string withMarks = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\naeolian-resend-marks: 1\r\n\r\n";
  CHECK(marking.feed(reinterpret_cast<const uint8_t*>(withMarks.data()), withMarks.size(), consumed) == HandshakeStatus::accepted);
  CHECK(marking.resendMarks());

  HandshakeReader wrong(accept);
  const std::string forged = "HTTP/1.1 101 OK\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n";
  CHECK(wrong.feed(reinterpret_cast<const uint8_t*>(forged.data()), forged.size(), consumed) == HandshakeStatus::malformed);
  HandshakeReader denied(accept);
  const std::string unauthorized = "HTTP/1.1 401 Unauthorized\r\n\r\n";
  CHECK(denied.feed(reinterpret_cast<const uint8_t*>(unauthorized.data()), unauthorized.size(), consumed) == HandshakeStatus::unauthorized);
  CHECK_EQ(denied.httpStatus(), 401);
  CHECK(writeHandshakeRequest({"h", 1, "/device", "tok"}, key, request, 40, accept) == 0);
}

TEST(client_frames_are_masked_at_every_length) {
  const uint8_t mask[4] = {1, 2, 3, 4};
  for (size_t length : {size_t(0), size_t(125), size_t(126), size_t(4096), size_t(70000)}) {
    std::vector<uint8_t> payload(length, 'a');
    std::vector<uint8_t> out(length + 14);
    const size_t size = writeClientFrame(WsOpcode::text, payload.data(), length, mask, out.data(), out.size());
    CHECK_EQ(size, wsClientHeaderBytes(length) + length);
    CHECK_EQ(out[0], 0x81);
    CHECK(out[1] & 0x80);
    const size_t header = wsClientHeaderBytes(length);
    if (length > 0) CHECK_EQ(out[header], 'a' ^ 1);
    CHECK_EQ(writeClientFrame(WsOpcode::text, payload.data(), length, mask, out.data(), size - 1), 0u);
  }
}

namespace {
struct Recorder : WsFrameListener {
  std::vector<std::string> events;
  void onText(const char* text, size_t length, bool truncated) override {
    events.push_back("text:" + std::string(text, length) + (truncated ? "+" : ""));
  }
  void onPing(const uint8_t* p, size_t n) override { events.push_back("ping:" + std::string(reinterpret_cast<const char*>(p), n)); }
  void onPong(const uint8_t* p, size_t n) override { events.push_back("pong:" + std::string(reinterpret_cast<const char*>(p), n)); }
  void onClose(uint16_t code) override { events.push_back("close:" + std::to_string(code)); }
  void onProtocolError() override { events.push_back("error"); }
};
}  // namespace

TEST(reader_parses_server_frames_split_anywhere) {
  std::string stream = std::string("\x81\x05hello\x89\x02hi\x8A\x00", 13) + std::string("\x88\x02\x03\xE9", 4);
  std::string longText = "\x81\x7E\x01\x2C" + std::string(300, 'e');  // 300 bytes: kept up to 256
  stream += longText;
  Recorder recorder;
  WsFrameReader reader;
  for (char c : stream) reader.feed(reinterpret_cast<const uint8_t*>(&c), 1, recorder);
  CHECK_EQ(recorder.events.size(), 5u);
  CHECK(recorder.events[0] == "text:hello");
  CHECK(recorder.events[1] == "ping:hi");
  CHECK(recorder.events[2] == "pong:");
  CHECK(recorder.events[3] == "close:1001");
  CHECK(recorder.events[4] == "text:" + std::string(256, 'e') + "+");
}

TEST(reader_refuses_what_no_server_may_send) {
  for (const std::string& bad : {std::string("\x81\x81\x00\x00\x00\x00x", 7), std::string("\x89\x7E\x00\x80", 4),
                                std::string("\x09\x00", 2), std::string("\x83\x00", 2), std::string("\xC1\x00", 2)}) {
    Recorder recorder;
    WsFrameReader reader;
    reader.feed(reinterpret_cast<const uint8_t*>(bad.data()), bad.size(), recorder);
    CHECK(!recorder.events.empty() && recorder.events.back() == "error");
  }
}
