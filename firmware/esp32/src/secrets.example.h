// Copy to secrets.h (gitignored) and fill in.
#pragma once

constexpr const char* WIFI_SSID = "your-network";
constexpr const char* WIFI_PASSWORD = "your-password";
/** Printed once by `npm run stations -- add <id> ...` (or `rotate <id>`). */
constexpr const char* DEVICE_TOKEN = "paste-the-station-token-here";
/** PEM of the root CA that signed the relay's certificate (e.g. ISRG Root X1 for Let's Encrypt). */
constexpr const char* RELAY_ROOT_CA = "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n";
