// A relay in memory for the link tests: answers the handshake, unmasks and records every client
// frame (counting any unmasked one), pongs when asked, and can ping, close or go silent.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "base64.h"
#include "network.h"
#include "sha1.h"

struct ClientFrame {
  uint8_t opcode;
  bool masked;
  std::string payload;
};

class FakeRelay : public aeolian::NetworkClient, public aeolian::DevicePlatform {
 public:
  bool accepting = true;
  bool autoPong = true;
  int httpStatus = 101;
  /** Says in its 101 that it takes resend marks (docs/protocol.md, "Resends"). */
  bool takesResendMarks = false;
  int connects = 0;
  std::string request;
  std::vector<ClientFrame> frames;
  std::string toDevice;
  bool closedByPeer = false;
  uint32_t seed = 12345;

  bool connect(const char*, uint16_t, bool) override {
    connects++;
    if (!accepting) return false;
    connected_ = true;
    closedByPeer = false;
    handshakeDone_ = false;
    fromDevice_.clear();
    toDevice.clear();
    return true;
  }
  int32_t write(const uint8_t* data, size_t length) override {
    if (!connected_ || closedByPeer) return -1;
    fromDevice_.append(reinterpret_cast<const char*>(data), length);
    process();
    return static_cast<int32_t>(length);
  }
  int32_t read(uint8_t* out, size_t capacity) override {
    if (!connected_) return -1;
    if (toDevice.empty()) return closedByPeer ? -1 : 0;
    const size_t n = toDevice.size() < capacity ? toDevice.size() : capacity;
    for (size_t i = 0; i < n; i++) out[i] = static_cast<uint8_t>(toDevice[i]);
    toDevice.erase(0, n);
    return static_cast<int32_t>(n);
  }
  void stop() override { connected_ = false; }

  uint32_t random32() override { return seed = seed * 1664525u + 1013904223u; }
  uint32_t uptimeS() override { return 42; }
  bool signalDbm(int32_t& dbm) override {
    dbm = -60;
    return true;
  }
  uint32_t strikesLostBeforeOutbox() override { return 3; }

  /** A server frame (unmasked) to the device. */
  void send(uint8_t opcode, const std::string& payload) {
    toDevice += static_cast<char>(0x80 | opcode);
    toDevice += static_cast<char>(payload.size());
    toDevice += payload;
  }
  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const auto& f : frames) {
      if (f.opcode == 1) out.push_back(f.payload);
    }
    return out;
  }
  int unmasked() const {
    int count = 0;
    for (const auto& f : frames) count += !f.masked;
    return count;
  }
  bool connected() const { return connected_; }

 private:
  void process() {
    if (!handshakeDone_) {
      const size_t end = fromDevice_.find("\r\n\r\n");
      if (end == std::string::npos) return;
      request = fromDevice_.substr(0, end + 4);
      fromDevice_.erase(0, end + 4);
      handshakeDone_ = true;
      if (httpStatus != 101) {
        toDevice += "HTTP/1.1 " + std::to_string(httpStatus) + " No\r\nConnection: close\r\n\r\n";
        closedByPeer = true;
        return;
      }
      const size_t at = request.find("Sec-WebSocket-Key: ") + 19;
      const std::string key = request.substr(at, 24) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
      uint8_t digest[20];
      aeolian::sha1(reinterpret_cast<const uint8_t*>(key.data()), key.size(), digest);
      char accept[28];
      aeolian::base64Encode(digest, 20, accept);
      toDevice += "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                  std::string(accept, 28) + (takesResendMarks ? "\r\nAeolian-Resend-Marks: 1" : "") + "\r\n\r\n";
    }
    while (fromDevice_.size() >= 2) {
      const auto* b = reinterpret_cast<const uint8_t*>(fromDevice_.data());
      const bool masked = b[1] & 0x80;
      size_t length = b[1] & 0x7F;
      size_t offset = 2;
      if (length == 126) {
        if (fromDevice_.size() < 4) return;
        length = (size_t(b[2]) << 8) | b[3];
        offset = 4;
      }
      const size_t total = offset + (masked ? 4 : 0) + length;
      if (fromDevice_.size() < total) return;
      ClientFrame frame{static_cast<uint8_t>(b[0] & 0x0F), masked, ""};
      for (size_t i = 0; i < length; i++) {
        const uint8_t mask = masked ? b[offset + i % 4] : 0;
        frame.payload += static_cast<char>(b[offset + (masked ? 4 : 0) + i] ^ mask);
      }
      fromDevice_.erase(0, total);
      if (frame.opcode == 9 && autoPong) send(0xA, frame.payload);
      frames.push_back(frame);
    }
  }

  bool connected_ = false;
  bool handshakeDone_ = false;
  std::string fromDevice_;
};
