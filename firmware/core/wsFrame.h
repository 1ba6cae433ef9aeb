// RFC 6455 framing for a websocket client. Every frame a client sends is masked with a fresh random
// key (section 5.3; the relay closes with 1002 on an unmasked one). Frames from the server arrive
// in pieces from a byte stream, so the reader is incremental and keeps only a small payload.
#pragma once
#include <cstddef>
#include <cstdint>

namespace aeolian {

enum class WsOpcode : uint8_t { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

/** Header bytes of a masked client frame: 2, plus 2 or 8 of extended length, plus the 4-byte key. */
constexpr size_t wsClientHeaderBytes(size_t payloadBytes) {
  return 2 + (payloadBytes < 126 ? 0 : payloadBytes <= 0xFFFF ? 2 : 8) + 4;
}

/**
 * Writes one final (FIN) masked frame into `out`. `payload` may be null when `length` is 0.
 * Returns the frame's size, or 0 when it does not fit `capacity`.
 */
size_t writeClientFrame(WsOpcode opcode, const uint8_t* payload, size_t length, const uint8_t maskKey[4], uint8_t* out,
                        size_t capacity);

/** What the reader found; the payload pointer is valid only during the call. */
class WsFrameListener {
 public:
  virtual void onText(const char* text, size_t length, bool truncated) = 0;
  virtual void onPing(const uint8_t* payload, size_t length) = 0;
  virtual void onPong(const uint8_t* payload, size_t length) = 0;
  /** `code` is 1005 when the close frame carried none. */
  virtual void onClose(uint16_t code) = 0;
  /** A frame no server may send (masked, bad length, bad opcode): the link must be dropped. */
  virtual void onProtocolError() = 0;

 protected:
  ~WsFrameListener() = default;
};

/** Largest payload kept; longer text is cut (relay errors are short), control frames are <= 125. */
constexpr size_t WS_READER_PAYLOAD_BYTES = 256;

class WsFrameReader {
 public:
  /** Feeds received bytes; calls the listener for each complete frame. */
  void feed(const uint8_t* data, size_t length, WsFrameListener& listener);
  void reset();

 private:
  enum class State : uint8_t { header, extendedLength, payload, failed };
  void finishFrame(WsFrameListener& listener);

  State state_ = State::header;
  uint8_t header_[2] = {};
  uint8_t headerHave_ = 0;
  uint8_t extendedNeed_ = 0;
  uint8_t extendedHave_ = 0;
  uint64_t payloadLength_ = 0;
  uint64_t payloadHave_ = 0;
  uint8_t payload_[WS_READER_PAYLOAD_BYTES] = {};
};

}  // namespace aeolian
