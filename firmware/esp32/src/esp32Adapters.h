// Arduino-ESP32 behind the core's small interfaces: a TCP or TLS client (wss:// with the relay's
// root CA checked), the board facts (hardware RNG, uptime, Wi-Fi signal) and the striker's pins.
#pragma once
#include <Arduino.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include "network.h"
#include "pinStrikerOutput.h"

/** Each solenoid's MOSFET gate on its own pin (the SDK's uint8_t), high while the pulse lasts. */
using Esp32StrikerOutput = aeolian::PinStrikerOutput<uint8_t>;

class Esp32NetworkClient : public aeolian::NetworkClient {
 public:
  explicit Esp32NetworkClient(const char* rootCa) { secure_.setCACert(rootCa); }

  bool connect(const char* host, uint16_t port, bool tls) override {
    if (WiFi.status() != WL_CONNECTED) return false;
    active_ = tls ? static_cast<WiFiClient*>(&secure_) : &plain_;
    return active_->connect(host, port) != 0;
  }
  int32_t write(const uint8_t* data, size_t length) override {
    if (active_ == nullptr || !active_->connected()) return -1;
    return static_cast<int32_t>(active_->write(data, length));
  }
  int32_t read(uint8_t* out, size_t capacity) override {
    if (active_ == nullptr) return -1;
    if (active_->available() <= 0) return active_->connected() ? 0 : -1;
    return active_->read(out, capacity);
  }
  void stop() override {
    if (active_ != nullptr) active_->stop();
    active_ = nullptr;
  }

 private:
  WiFiClient plain_;
  WiFiClientSecure secure_;
  WiFiClient* active_ = nullptr;
};

class Esp32Platform : public aeolian::DevicePlatform {
 public:
  explicit Esp32Platform(uint32_t (*lostBeforeOutbox)()) : lostBeforeOutbox_(lostBeforeOutbox) {}
  uint32_t random32() override { return esp_random(); }  // hardware RNG (true random with radio on)
  uint32_t uptimeS() override { return static_cast<uint32_t>(esp_timer_get_time() / 1000000); }
  bool signalDbm(int32_t& dbm) override {
    if (WiFi.status() != WL_CONNECTED) return false;
    dbm = WiFi.RSSI();
    return true;
  }
  uint32_t strikesLostBeforeOutbox() override { return lostBeforeOutbox_(); }

 private:
  uint32_t (*lostBeforeOutbox_)();
};
