// Device OS behind the core's small interfaces: the cloud (publish), a TCP client (direct link),
// the board facts (randomness, uptime, signal) and the striker's output pins. Nothing else of the
// SDK reaches the core.
#pragma once
#include "Particle.h"
#include "cloudPublisher.h"
#include "network.h"
#include "pinStrikerOutput.h"

class ParticleCloud : public aeolian::CloudConnection {
 public:
  bool connected() override { return Particle.connected(); }
  // Waits for the cloud's acknowledgement: a publish that failed keeps its strikes for the next one.
  bool publish(const char* eventName, const char* data) override { return Particle.publish(eventName, data, PRIVATE); }
};

class ParticleTcpClient : public aeolian::NetworkClient {
 public:
  bool connect(const char* host, uint16_t port, bool tls) override {
    if (tls) return false;  // TCPClient has no TLS; see stationConfig.h
    return client_.connect(host, port) != 0;
  }
  int32_t write(const uint8_t* data, size_t length) override {
    if (!client_.connected()) return -1;
    return static_cast<int32_t>(client_.write(data, length));
  }
  int32_t read(uint8_t* out, size_t capacity) override {
    const int waiting = client_.available();
    if (waiting <= 0) return client_.connected() ? 0 : -1;
    return client_.read(out, capacity);
  }
  void stop() override { client_.stop(); }

 private:
  TCPClient client_;
};

/** Each solenoid's MOSFET gate on its own pin (the SDK's pin_t), high while the pulse lasts. */
using ParticleStrikerOutput = aeolian::PinStrikerOutput<pin_t>;

class ParticlePlatform : public aeolian::DevicePlatform {
 public:
  explicit ParticlePlatform(uint32_t (*lostBeforeOutbox)()) : lostBeforeOutbox_(lostBeforeOutbox) {}
  uint32_t random32() override { return HAL_RNG_GetRandomNumber(); }
  uint32_t uptimeS() override { return System.uptime(); }
  bool signalDbm(int32_t& dbm) override {
#if Wiring_WiFi
    if (!WiFi.ready()) return false;
    dbm = static_cast<int32_t>(WiFi.RSSI().getStrengthValue());
    return true;
#elif Wiring_Cellular
    dbm = static_cast<int32_t>(Cellular.RSSI().getStrengthValue());
    return true;
#else
    (void)dbm;
    return false;
#endif
  }
  uint32_t strikesLostBeforeOutbox() override { return lostBeforeOutbox_(); }

 private:
  uint32_t (*lostBeforeOutbox_)();
};
