// The direct link as a host program, for the end-to-end tests (test/firmware/linkEndToEnd.test.ts):
// the same core a board runs, over POSIX sockets, on the real clock. A thread plays the interrupt:
// it replays a script of contact closures read from stdin ("<ms after start> <contact>" per line)
// and only timestamps and enqueues; the main loop debounces and drives the link, as loop() does.
// Events go to stdout as JSON lines; SIGTERM closes the link and prints the final counts.
// With --striker-chimes the device has a striker (test/firmware/strikerEndToEnd.test.ts): its output
// logs each pulse, and the struck chime's contact closes --striker-contact-ms after the pulse starts,
// so the ring comes back as a real strike through the normal path.
//
//   linkHost --host 127.0.0.1 --port 8787 --token T --chimes 6 [--lockout-ms 150] [--silence-ms N]
//            [--keepalive-ms N] [--backoff-base-ms N] [--backoff-cap-ms N] [--no-status] [--status-interval-ms N]
//            [--striker-chimes 0,1,2 [--striker-max-per-minute N] [--striker-min-gap-ms N]
//             [--striker-chime-gap-ms N] [--striker-pulse-ms N] [--striker-contact-ms N]]
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>
#include "deviceLink.h"
#include "posixNetworkClient.h"
#include "strikeCollector.h"
#include "striker.h"

using namespace aeolian;

namespace {

std::atomic<bool> stopping{false};
const auto startedAt = std::chrono::steady_clock::now();

uint32_t millisNow() {
  return static_cast<uint32_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - startedAt).count());
}

// Sized like a roomy board: a full minute of a 50 strikes/s storm would need 3000.
constexpr uint32_t OUTBOX_STRIKES = 4096;
StrikeQueue<256> queue;
Strike storage[OUTBOX_STRIKES];

struct HostPlatform : DevicePlatform {
  std::mt19937 rng{std::random_device{}()};
  uint32_t random32() override { return rng(); }
  uint32_t uptimeS() override { return millisNow() / 1000; }
  bool signalDbm(int32_t&) override { return false; }
  uint32_t strikesLostBeforeOutbox() override { return queue.overflowed(); }
};

/** The fake solenoids: log each pulse, and close the struck chime's contact a few ms into it. */
struct LoggingStrikerOutput : StrikerOutput {
  uint32_t contactDelayMs = 8;
  // The main loop is both producer and consumer here, so this queue needs no other thread.
  StrikeQueue<16> contacts;
  struct Closure {
    uint32_t atMs;
    uint8_t chime;
  };
  Closure due[8] = {};
  size_t dueCount = 0;

  /**
   * The firmware's clock as the striker last saw it (the loop sets it before each call that may
   * switch a solenoid): pulses are logged at the times the striker acted on, not a clock read a
   * millisecond later, so a logged pulse is never shorter than the striker made it.
   */
  uint32_t clockMs = 0;

  void on(uint8_t chime) override {
    const uint32_t now = clockMs;
    std::printf("{\"event\":\"pulse_on\",\"chime\":%u,\"atMs\":%u}\n", chime, now);
    std::fflush(stdout);
    // The striker allows one pulse per 250 ms at most: 8 closures in flight is plenty.
    if (dueCount < sizeof(due) / sizeof(due[0])) due[dueCount++] = Closure{now + contactDelayMs, chime};
  }
  void off(uint8_t chime) override {
    std::printf("{\"event\":\"pulse_off\",\"chime\":%u,\"atMs\":%u}\n", chime, clockMs);
    std::fflush(stdout);
  }
  /** The contact "interrupt" for closures that are due. */
  void closeContacts(uint32_t now) {
    size_t kept = 0;
    for (size_t i = 0; i < dueCount; i++) {
      if (static_cast<int32_t>(now - due[i].atMs) >= 0) contacts.push(due[i].chime, due[i].atMs);
      else due[kept++] = due[i];
    }
    dueCount = kept;
  }
};

struct PrintingObserver : LinkObserver {
  void onLinkEvent(LinkEvent event, int32_t detail) override {
    std::printf("{\"event\":\"%s\",\"detail\":%d,\"atMs\":%u}\n", linkEventName(event), detail, millisNow());
    std::fflush(stdout);
  }
  void onStrikesSent(const char* frame, size_t length, uint32_t nowMs) override {
    // Wall-clock send time, so a test can tell the relay's delivery delay from the device's ages.
    const long long wallMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
    std::printf("{\"event\":\"sent\",\"atMs\":%u,\"wallMs\":%lld,\"frame\":\"%.*s\"}\n", nowMs, wallMs,
                static_cast<int>(length), frame);
    std::fflush(stdout);
  }
  void onRing(const RingCommand& ring, RingOutcome outcome, uint32_t nowMs) override {
    std::printf("{\"event\":\"ring\",\"chime\":%u,\"velocity\":%u,\"id\":%llu,\"outcome\":\"%s\",\"atMs\":%u}\n", ring.chime,
                ring.velocity, static_cast<unsigned long long>(ring.id), ringOutcomeName(outcome), nowMs);
    std::fflush(stdout);
  }
};

void printStrike(const Strike& strike) {
  std::printf("{\"event\":\"strike\",\"chime\":%u,\"atMs\":%u}\n", strike.chime, strike.atMs);
  std::fflush(stdout);
}

uint32_t option(int argc, char** argv, const char* name, uint32_t fallback) {
  for (int i = 1; i + 1 < argc; i++) {
    if (std::strcmp(argv[i], name) == 0) return static_cast<uint32_t>(std::strtoul(argv[i + 1], nullptr, 10));
  }
  return fallback;
}

const char* textOption(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; i++) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}

/** "0,1,2" as a chime mask. */
uint64_t chimeMask(const char* list) {
  uint64_t mask = 0;
  for (const char* p = list; *p != '\0';) {
    char* end = nullptr;
    const unsigned long chime = std::strtoul(p, &end, 10);
    if (end == p) break;
    if (chime < MAX_CHIMES_PER_STATION) mask |= uint64_t(1) << chime;
    p = *end == ',' ? end + 1 : end;
  }
  return mask;
}

bool flag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; i++) {
    if (std::strcmp(argv[i], name) == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGTERM, [](int) { stopping = true; });
  std::signal(SIGINT, [](int) { stopping = true; });
  std::vector<std::pair<uint32_t, uint8_t>> script;
  for (std::string line; std::getline(std::cin, line);) {
    unsigned long at = 0, contact = 0;
    if (std::sscanf(line.c_str(), "%lu %lu", &at, &contact) == 2) script.emplace_back(at, static_cast<uint8_t>(contact));
  }

  LinkConfig config = defaultLinkConfig();
  config.host = textOption(argc, argv, "--host", "127.0.0.1");
  config.port = static_cast<uint16_t>(option(argc, argv, "--port", 8787));
  config.tls = false;
  config.token = textOption(argc, argv, "--token", "");
  config.keepaliveMs = option(argc, argv, "--keepalive-ms", LINK_KEEPALIVE_MS);
  config.silenceDeadMs = option(argc, argv, "--silence-ms", LINK_SILENCE_DEAD_MS);
  config.backoff = BackoffRange{option(argc, argv, "--backoff-base-ms", RECONNECT_BASE_MS),
                                option(argc, argv, "--backoff-cap-ms", RECONNECT_CAP_MS)};
  // Status is on by default, as on a board; --status is still accepted, --no-status turns it off.
  config.sendStatus = !flag(argc, argv, "--no-status");
  config.statusIntervalMs = option(argc, argv, "--status-interval-ms", DEVICE_STATUS_INTERVAL_MS);
  const uint8_t chimes = static_cast<uint8_t>(option(argc, argv, "--chimes", 6));

  static StrikeOutbox outbox(storage, OUTBOX_STRIKES, chimes);
  static ContactDebouncer debouncer(option(argc, argv, "--lockout-ms", DEFAULT_CONTACT_LOCKOUT_MS));
  static PosixNetworkClient client;
  static HostPlatform platform;
  static PrintingObserver observer;
  const char* strikerChimes = textOption(argc, argv, "--striker-chimes", nullptr);
  StrikerConfig strikerConfig = defaultStrikerConfig(strikerChimes != nullptr ? chimeMask(strikerChimes) : 0);
  strikerConfig.maxPerMinute = option(argc, argv, "--striker-max-per-minute", strikerConfig.maxPerMinute);
  strikerConfig.minGapMs = option(argc, argv, "--striker-min-gap-ms", strikerConfig.minGapMs);
  strikerConfig.chimeMinGapMs = option(argc, argv, "--striker-chime-gap-ms", strikerConfig.chimeMinGapMs);
  strikerConfig.pulseMs = option(argc, argv, "--striker-pulse-ms", strikerConfig.pulseMs);
  static LoggingStrikerOutput strikerOutput;
  strikerOutput.contactDelayMs = option(argc, argv, "--striker-contact-ms", strikerOutput.contactDelayMs);
  static Striker striker(strikerConfig, strikerOutput);
  static DeviceLink link(config, client, platform, outbox, &observer, strikerChimes != nullptr ? &striker : nullptr);

  // The "interrupt": it sleeps until each scripted closure, then only timestamps and enqueues.
  std::thread interrupt([&script] {
    for (const auto& [at, contact] : script) {
      std::this_thread::sleep_until(startedAt + std::chrono::milliseconds(at));
      if (stopping) return;
      queue.push(contact, millisNow());
    }
  });

  bool idle = false;
  uint32_t lastPending = 0;
  size_t collected = 0;
  while (!stopping) {
    const uint32_t now = millisNow();
    collected += collectStrikes(queue, debouncer, outbox, printStrike);
    strikerOutput.closeContacts(now);
    collected += collectStrikes(strikerOutput.contacts, debouncer, outbox, printStrike);
    strikerOutput.clockMs = now;
    link.poll(now);
    const uint32_t strikerNow = millisNow();
    strikerOutput.clockMs = strikerNow;
    striker.poll(strikerNow);
    const bool scriptDone = millisNow() > (script.empty() ? 0 : script.back().first) + debouncer.lockoutMs();
    const bool nowIdle = scriptDone && outbox.pending() == 0 && link.open();
    if (nowIdle != idle || outbox.pending() != lastPending) {
      std::printf("{\"event\":\"pending\",\"pending\":%u,\"idle\":%s,\"atMs\":%u}\n", outbox.pending(), nowIdle ? "true" : "false", now);
      std::fflush(stdout);
      idle = nowIdle;
      lastPending = outbox.pending();
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  interrupt.join();
  std::printf("{\"event\":\"stats\",\"strikes\":%zu,\"pending\":%u,\"dropped\":%u,\"queueOverflow\":%u,\"swallowed\":%u,"
              "\"reconnects\":%u,\"refusedFrames\":%u,\"rateLimited\":%u,\"rings\":%u,\"ringsRefused\":%u,"
              "\"unreadableFrames\":%u}\n",
              collected, outbox.pending(), outbox.dropped(), queue.overflowed(), debouncer.swallowed(), link.reconnects(),
              link.refusedFrames(), link.rateLimitedNotices(), striker.rings(), link.ringsRefused(), link.unreadableFrames());
  std::fflush(stdout);
  return 0;
}
