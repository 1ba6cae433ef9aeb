// NOT Arduino-ESP32: a stand-in declaring only the calls firmware/esp32 uses, with the signatures of
// Arduino-ESP32 2.x/3.x, so the glue compiles where the SDK cannot be installed (make glue).
// Building for a board uses the real core (Arduino IDE or PlatformIO).
#pragma once
#include <cstddef>
#include <cstdint>

#define IRAM_ATTR
#define OUTPUT 0x03
#define INPUT_PULLUP 0x05
#define LOW 0x0
#define HIGH 0x1
#define FALLING 0x02

void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t value);
int digitalPinToInterrupt(uint8_t pin);
void attachInterrupt(int interrupt, void (*handler)(), int mode);
unsigned long millis();
void delay(uint32_t ms);
uint32_t esp_random();
int64_t esp_timer_get_time();

class HardwareSerial {
 public:
  void begin(unsigned long baud);
  int printf(const char* format, ...);
};
extern HardwareSerial Serial;
