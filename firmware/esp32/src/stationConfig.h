// What differs from one chime station to the next: pins, chime count, the relay. Secrets (Wi-Fi,
// device token, the relay's root certificate) live in secrets.h (gitignored): copy secrets.example.h.
#pragma once
#include <cstdint>

/** Chimes on this station: must equal `--chimes` of `npm run stations -- add`. */
constexpr uint8_t CHIME_COUNT = 6;
/**
 * Contact of chime i on CONTACT_PINS[i], to GND, internal pull-up. Every GPIO can interrupt, but
 * 34-39 have no pull-ups and 0, 2, 5, 12, 15 are strapping pins: these six are safe on an ESP32 DevKit.
 */
constexpr uint8_t CONTACT_PINS[CHIME_COUNT] = {13, 14, 25, 26, 27, 32};
constexpr uint32_t CONTACT_LOCKOUT_MS = 150;
/** Strikes kept through an outage: 4096 x 8 bytes = 32 KiB of the ESP32's RAM. */
constexpr uint32_t OUTBOX_STRIKES = 4096;

/** wss:// on 443 (the relay behind TLS, certificate checked against RELAY_ROOT_CA), or ws:// on a private network. */
constexpr bool RELAY_TLS = true;
constexpr const char* RELAY_HOST = "relay.example.org";
constexpr uint16_t RELAY_PORT = 443;
/**
 * Device status on the direct link (firmware, uptime, signal, reconnects, strikes dropped), shown on
 * the relay's /admin. false only for a relay that predates it: that one answers each with bad_message.
 */
constexpr bool SEND_STATUS = true;
constexpr const char* FIRMWARE_VERSION = "0.1.0";

/**
 * A striker (docs/devices.md, "A striker"): the solenoid of chime i on STRIKER_PINS[i], through a
 * logic-level MOSFET with a flyback diode, on its own supply. Rings arrive on the direct link only.
 * The firmware never goes past its hard caps (60 rings a minute, 250 ms apart, 500 ms per chime,
 * 50 ms pulses), whatever is set here.
 */
constexpr bool HAS_STRIKER = false;
/** Bit i set: chime i has a solenoid. */
constexpr uint64_t STRIKER_CHIMES = 0x3F;
constexpr uint32_t STRIKER_RINGS_PER_MINUTE = 20;
/** Between any two rings, and between two rings of one chime. */
constexpr uint32_t STRIKER_GAP_MS = 2000;
constexpr uint32_t STRIKER_CHIME_GAP_MS = 4000;
/** Pulse at full strength; tune it to your solenoid (too short: no sound, too long: a dull thud). */
constexpr uint32_t STRIKER_PULSE_LENGTH_MS = 20;
/** Gate of chime i's MOSFET (output-capable, not strapping pins; a 10 kΩ pull-down keeps it off at boot). */
constexpr uint8_t STRIKER_PINS[CHIME_COUNT] = {4, 18, 19, 21, 22, 23};
