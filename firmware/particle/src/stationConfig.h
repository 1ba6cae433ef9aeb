// What differs from one chime station to the next: pins, chime count, which path to the relay.
// Secrets (the device token) live in secrets.h, which is gitignored: copy secrets.example.h.
#pragma once
#include <cstdint>
#include "Particle.h"

/** Chimes on this station: must equal `--chimes` of `npm run stations -- add`. */
constexpr uint8_t CHIME_COUNT = 6;
/** Contact of chime i on CONTACT_PINS[i], to GND, internal pull-up (Gen 3: at most 8 interrupt pins). */
constexpr pin_t CONTACT_PINS[CHIME_COUNT] = {D2, D3, D4, D5, D6, D7};
/** Per-contact lockout after a strike; raise it if one swing still shows as two strikes. */
constexpr uint32_t CONTACT_LOCKOUT_MS = 150;
/** Strikes kept through an outage: 2048 x 8 bytes = 16 KiB of RAM, a minute of a strong gust. */
constexpr uint32_t OUTBOX_STRIKES = 2048;

/**
 * false: the cloud path (Particle.publish under PARTICLE_EVENT, TLS by the cloud, about 1 s of
 * latency and 1 publish/s). true: the direct /device websocket (lower latency; plain ws:// only on
 * Particle, so put it behind a TLS-terminating proxy you trust or use it on a private network).
 */
constexpr bool USE_DIRECT_LINK = false;
/** The relay, for the direct link (ignored on the cloud path). */
constexpr const char* RELAY_HOST = "relay.example.org";
constexpr uint16_t RELAY_PORT = 80;
/** Event name the relay subscribes to (its PARTICLE_EVENT, default "chime"). */
constexpr const char* STRIKE_EVENT = "chime";
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
/** Gate of chime i's MOSFET (any GPIO; a 10 kΩ pull-down keeps it off while the board boots). */
constexpr pin_t STRIKER_PINS[CHIME_COUNT] = {A0, A1, A2, A5, D0, D1};
