// The board network interface over POSIX sockets, so the host build of the link talks to a real
// relay on loopback exactly as a board would. Plain TCP only: TLS is the boards' (WiFiClientSecure).
#pragma once
#include "network.h"

class PosixNetworkClient : public aeolian::NetworkClient {
 public:
  /** `connectTimeoutMs`: like a board's TCP connect timeout. */
  explicit PosixNetworkClient(int connectTimeoutMs = 3000) : connectTimeoutMs_(connectTimeoutMs) {}
  ~PosixNetworkClient() { stop(); }

  bool connect(const char* host, uint16_t port, bool tls) override;
  int32_t write(const uint8_t* data, size_t length) override;
  int32_t read(uint8_t* out, size_t capacity) override;
  void stop() override;

 private:
  int fd_ = -1;
  int connectTimeoutMs_;
};
