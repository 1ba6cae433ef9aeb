// Copy to secrets.h (gitignored) and fill in. Only the direct link needs a token: the cloud path is
// authenticated by the Particle cloud and mapped to a station by the device id (`--particle-id`).
#pragma once

/** Printed once by `npm run stations -- add <id> ...` (or `rotate <id>`). */
constexpr const char* DEVICE_TOKEN = "paste-the-station-token-here";
