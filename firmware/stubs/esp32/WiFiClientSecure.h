// Stand-in (see Arduino.h): TLS client of Arduino-ESP32, for wss://.
#pragma once
#include "WiFi.h"

class WiFiClientSecure : public WiFiClient {
 public:
  void setCACert(const char* rootCa);
};
