// Stand-in (see Arduino.h): the Wi-Fi calls firmware/esp32 uses.
#pragma once
#include "Arduino.h"

enum wl_status_t { WL_CONNECTED = 3 };

class WiFiClass {
 public:
  wl_status_t begin(const char* ssid, const char* passphrase);
  bool setAutoReconnect(bool autoReconnect);
  wl_status_t status();
  int8_t RSSI();
};
extern WiFiClass WiFi;

class WiFiClient {
 public:
  virtual ~WiFiClient() = default;
  virtual int connect(const char* host, uint16_t port);
  virtual size_t write(const uint8_t* data, size_t length);
  virtual int available();
  virtual int read(uint8_t* buffer, size_t size);
  virtual uint8_t connected();
  virtual void stop();
};
