// NOT the Particle Device OS: a stand-in declaring only the calls firmware/particle uses, with the
// signatures of Device OS 5/6, so the glue compiles on a machine where the SDK cannot be installed
// (make glue). Building for a real device uses the real Particle.h (Workbench or `particle compile`).
#pragma once
#include <cstddef>
#include <cstdint>

using pin_t = uint16_t;
using system_tick_t = uint32_t;
enum PinMode { INPUT, OUTPUT, INPUT_PULLUP, INPUT_PULLDOWN };
enum InterruptMode { CHANGE, RISING, FALLING };
enum PublishFlag { PUBLIC, PRIVATE, NO_ACK, WITH_ACK };
constexpr pin_t D0 = 0, D1 = 1, D2 = 2, D3 = 3, D4 = 4, D5 = 5, D6 = 6, D7 = 7;
constexpr pin_t A0 = 19, A1 = 18, A2 = 17, A5 = 14;
constexpr uint8_t LOW = 0, HIGH = 1;
using wiring_interrupt_handler_t = void (*)();

#define SYSTEM_THREAD(mode)
#define Wiring_WiFi 1
#define Wiring_Cellular 0

void pinMode(pin_t pin, PinMode mode);
void digitalWrite(pin_t pin, uint8_t value);
bool attachInterrupt(pin_t pin, wiring_interrupt_handler_t handler, InterruptMode mode);
system_tick_t millis();
uint32_t HAL_RNG_GetRandomNumber();

namespace particle {
template <typename T>
class Future {
 public:
  operator T() const;  // waits for the cloud's answer, as `bool ok = Particle.publish(...)` does
};
}  // namespace particle

class CloudClass {
 public:
  bool connected();
  particle::Future<bool> publish(const char* name, const char* data, PublishFlag flag);
};
extern CloudClass Particle;

class SystemClass {
 public:
  static system_tick_t uptime();
};
extern SystemClass System;

class WiFiSignal {
 public:
  float getStrengthValue() const;
};
class WiFiClass {
 public:
  WiFiSignal RSSI();
  bool ready();
};
extern WiFiClass WiFi;

class TCPClient {
 public:
  int connect(const char* host, uint16_t port);
  size_t write(const uint8_t* data, size_t length);
  int available();
  int read(uint8_t* buffer, size_t size);
  uint8_t connected();
  void stop();
};

class USBSerial {
 public:
  void begin(long baud);
  size_t printlnf(const char* format, ...);
};
extern USBSerial Serial;
