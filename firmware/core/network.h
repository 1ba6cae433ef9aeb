// The two small interfaces a board implements for the direct link: a byte-stream client (TCP or
// TLS: Particle TCPClient, Arduino WiFiClient/WiFiClientSecure, POSIX sockets on the host) and
// the few board facts the link needs. Everything else lives in the core and is tested on the host.
#pragma once
#include <cstddef>
#include <cstdint>

namespace aeolian {

class NetworkClient {
 public:
  /** Opens a connection; may block up to the board's connect timeout. `tls`: wss:// (certificate checked). */
  virtual bool connect(const char* host, uint16_t port, bool tls) = 0;
  /** Writes what it can without blocking long: bytes written (maybe fewer), or < 0 if the link is broken. */
  virtual int32_t write(const uint8_t* data, size_t length) = 0;
  /** Reads what has arrived: bytes read, 0 when nothing is waiting, < 0 once the peer closed or the link broke. */
  virtual int32_t read(uint8_t* out, size_t capacity) = 0;
  virtual void stop() = 0;

 protected:
  ~NetworkClient() = default;
};

class DevicePlatform {
 public:
  /** Uniform 32-bit randomness (hardware RNG): websocket masks, keys and backoff jitter. */
  virtual uint32_t random32() = 0;
  /** Seconds since boot, without the 49.7-day wrap of millis(). */
  virtual uint32_t uptimeS() = 0;
  /** Signal strength in dBm, or false when the board has none to report (not connected, wired). */
  virtual bool signalDbm(int32_t& dbm) = 0;
  /** Strikes lost before the outbox (the interrupt queue overflowed), for device health. */
  virtual uint32_t strikesLostBeforeOutbox() = 0;

 protected:
  ~DevicePlatform() = default;
};

}  // namespace aeolian
