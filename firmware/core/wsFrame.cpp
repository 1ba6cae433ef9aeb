#include "wsFrame.h"

namespace aeolian {

size_t writeClientFrame(WsOpcode opcode, const uint8_t* payload, size_t length, const uint8_t maskKey[4], uint8_t* out,
                        size_t capacity) {
  const size_t header = wsClientHeaderBytes(length);
  if (header + length > capacity) return 0;
  size_t o = 0;
  out[o++] = static_cast<uint8_t>(0x80 | static_cast<uint8_t>(opcode));
  if (length < 126) {
    out[o++] = static_cast<uint8_t>(0x80 | length);
  } else if (length <= 0xFFFF) {
    out[o++] = 0x80 | 126;
    out[o++] = static_cast<uint8_t>(length >> 8);
    out[o++] = static_cast<uint8_t>(length);
  } else {
    out[o++] = 0x80 | 127;
    for (int shift = 56; shift >= 0; shift -= 8) out[o++] = static_cast<uint8_t>(static_cast<uint64_t>(length) >> shift);
  }
  for (int i = 0; i < 4; i++) out[o++] = maskKey[i];
  for (size_t i = 0; i < length; i++) out[o++] = static_cast<uint8_t>(payload[i] ^ maskKey[i % 4]);
  return o;
}

void WsFrameReader::reset() {
  state_ = State::header;
  headerHave_ = 0;
}

void WsFrameReader::feed(const uint8_t* data, size_t length, WsFrameListener& listener) {
  for (size_t i = 0; i < length && state_ != State::failed;) {
    switch (state_) {
      case State::header: {
        header_[headerHave_++] = data[i++];
        if (headerHave_ < 2) break;
        headerHave_ = 0;
        const uint8_t opcode = header_[0] & 0x0F;
        const bool control = opcode >= 0x8;
        const uint8_t lengthCode = header_[1] & 0x7F;
        // A server never masks (5.1); RSV bits need an extension we never negotiated; control
        // frames are short and unfragmented (5.5); 3-7 and B-F are reserved opcodes.
        const bool reserved = (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
        if ((header_[1] & 0x80) || (header_[0] & 0x70) || reserved ||
            (control && (lengthCode > 125 || !(header_[0] & 0x80)))) {
          state_ = State::failed;
          listener.onProtocolError();
          return;
        }
        payloadHave_ = 0;
        extendedHave_ = 0;
        if (lengthCode >= 126) {
          extendedNeed_ = lengthCode == 126 ? 2 : 8;
          payloadLength_ = 0;
          state_ = State::extendedLength;
        } else {
          payloadLength_ = lengthCode;
          state_ = State::payload;
          if (payloadLength_ == 0) finishFrame(listener);
        }
        break;
      }
      case State::extendedLength:
        payloadLength_ = (payloadLength_ << 8) | data[i++];
        if (++extendedHave_ < extendedNeed_) break;
        state_ = State::payload;
        if (payloadLength_ == 0) finishFrame(listener);
        break;
      case State::payload: {
        // Keep what fits; skip the rest of a long text frame without storing it.
        if (payloadHave_ < WS_READER_PAYLOAD_BYTES) payload_[payloadHave_] = data[i];
        payloadHave_++;
        i++;
        if (payloadHave_ == payloadLength_) finishFrame(listener);
        break;
      }
      case State::failed:
        return;
    }
  }
}

void WsFrameReader::finishFrame(WsFrameListener& listener) {
  state_ = State::header;
  const size_t kept = payloadLength_ < WS_READER_PAYLOAD_BYTES ? static_cast<size_t>(payloadLength_) : WS_READER_PAYLOAD_BYTES;
  switch (static_cast<WsOpcode>(header_[0] & 0x0F)) {
    case WsOpcode::text:
    case WsOpcode::continuation:
      listener.onText(reinterpret_cast<const char*>(payload_), kept, kept < payloadLength_);
      break;
    case WsOpcode::binary:
      break;  // the relay never sends binary; ignore rather than fail
    case WsOpcode::ping:
      listener.onPing(payload_, kept);
      break;
    case WsOpcode::pong:
      listener.onPong(payload_, kept);
      break;
    case WsOpcode::close:
      listener.onClose(kept >= 2 ? static_cast<uint16_t>((payload_[0] << 8) | payload_[1]) : 1005);
      break;
  }
}

}  // namespace aeolian
