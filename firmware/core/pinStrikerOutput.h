// The striker's output on plain GPIO, shared by the boards: it uses only the Arduino-style calls
// both SDKs declare (pinMode, digitalWrite, HIGH, LOW, OUTPUT), so it includes no SDK header itself
// and must be included after the board's own (Arduino.h or Particle.h). No core .cpp includes it.
#pragma once
#include <cstdint>
#include "striker.h"

namespace aeolian {

/** Each solenoid's MOSFET gate on its own pin, high while the pulse lasts. `Pin` is the SDK's pin type. */
template <typename Pin>
class PinStrikerOutput : public StrikerOutput {
 public:
  PinStrikerOutput(const Pin* pins, uint8_t count) : pins_(pins), count_(count) {}
  /** Low before output, so no coil fires while the pins change mode. */
  void begin() {
    for (uint8_t chime = 0; chime < count_; chime++) {
      digitalWrite(pins_[chime], LOW);
      pinMode(pins_[chime], OUTPUT);
    }
  }
  void on(uint8_t chime) override {
    if (chime < count_) digitalWrite(pins_[chime], HIGH);
  }
  void off(uint8_t chime) override {
    if (chime < count_) digitalWrite(pins_[chime], LOW);
  }

 private:
  const Pin* pins_;
  uint8_t count_;
};

}  // namespace aeolian
