#include "wsHandshake.h"
#include "base64.h"
#include "sha1.h"
#include "textWriter.h"

namespace aeolian {

namespace {

const char WS_GUID[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/** Finds `name` (case-insensitive) at a line start in `head`; returns its value, trimmed. */
bool headerValue(const char* head, size_t length, const char* name, const char*& value, size_t& valueLength) {
  size_t nameLength = 0;
  while (name[nameLength] != '\0') nameLength++;
  for (size_t line = 0; line < length;) {
    size_t end = line;
    while (end < length && head[end] != '\r') end++;
    bool match = end - line > nameLength && head[line + nameLength] == ':';
    for (size_t i = 0; match && i < nameLength; i++) match = lower(head[line + i]) == lower(name[i]);
    if (match) {
      size_t start = line + nameLength + 1;
      while (start < end && (head[start] == ' ' || head[start] == '\t')) start++;
      size_t stop = end;
      while (stop > start && (head[stop - 1] == ' ' || head[stop - 1] == '\t')) stop--;
      value = head + start;
      valueLength = stop - start;
      return true;
    }
    line = end + 2;
  }
  return false;
}

}  // namespace

size_t writeHandshakeRequest(const HandshakeRequest& request, const uint8_t key[16], char* out, size_t capacity,
                             char expectedAccept[WS_ACCEPT_CHARS]) {
  char keyText[WS_KEY_CHARS];
  base64Encode(key, 16, keyText);
  uint8_t keyAndGuid[WS_KEY_CHARS + sizeof(WS_GUID) - 1];
  for (size_t i = 0; i < WS_KEY_CHARS; i++) keyAndGuid[i] = static_cast<uint8_t>(keyText[i]);
  for (size_t i = 0; i < sizeof(WS_GUID) - 1; i++) keyAndGuid[WS_KEY_CHARS + i] = static_cast<uint8_t>(WS_GUID[i]);
  uint8_t digest[SHA1_DIGEST_BYTES];
  sha1(keyAndGuid, sizeof(keyAndGuid), digest);
  base64Encode(digest, SHA1_DIGEST_BYTES, expectedAccept);

  TextWriter writer(out, capacity);
  writer.text("GET ").text(request.path).text(" HTTP/1.1\r\nHost: ").text(request.host).text(":").number(uint32_t{request.port});
  writer.text("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ");
  writer.text(keyText, WS_KEY_CHARS).text("\r\nAuthorization: Bearer ").text(request.token).text("\r\n\r\n");
  return writer.overflowed() ? 0 : writer.length();
}

HandshakeStatus HandshakeReader::feed(const uint8_t* data, size_t length, size_t& consumed) {
  consumed = 0;
  while (consumed < length) {
    if (length_ == sizeof(head_)) return HandshakeStatus::malformed;
    head_[length_++] = static_cast<char>(data[consumed++]);
    if (length_ >= 4 && head_[length_ - 4] == '\r' && head_[length_ - 3] == '\n' && head_[length_ - 2] == '\r' &&
        head_[length_ - 1] == '\n') {
      return judge();
    }
  }
  return HandshakeStatus::incomplete;
}

HandshakeStatus HandshakeReader::judge() {
  // "HTTP/1.1 101 ..." : the status is the three digits after the first space.
  const char prefix[] = "HTTP/1.";
  for (size_t i = 0; i < sizeof(prefix) - 1; i++) {
    if (head_[i] != prefix[i]) return HandshakeStatus::malformed;
  }
  if (length_ < 13 || head_[8] != ' ') return HandshakeStatus::malformed;
  for (size_t i = 9; i < 12; i++) {
    if (head_[i] < '0' || head_[i] > '9') return HandshakeStatus::malformed;
    httpStatus_ = static_cast<uint16_t>(httpStatus_ * 10 + (head_[i] - '0'));
  }
  if (httpStatus_ == 401) return HandshakeStatus::unauthorized;
  if (httpStatus_ != 101) return HandshakeStatus::refused;
  const char* accept = nullptr;
  size_t acceptLength = 0;
  if (!headerValue(head_, length_, "Sec-WebSocket-Accept", accept, acceptLength) || acceptLength != WS_ACCEPT_CHARS) {
    return HandshakeStatus::malformed;
  }
  for (size_t i = 0; i < WS_ACCEPT_CHARS; i++) {
    if (accept[i] != expectedAccept_[i]) return HandshakeStatus::malformed;
  }
  const char* marks = nullptr;
  size_t marksLength = 0;
  resendMarks_ = headerValue(head_, length_, RESEND_MARKS_HEADER, marks, marksLength) && marksLength == 1 && marks[0] == '1';
  return HandshakeStatus::accepted;
}

}  // namespace aeolian
