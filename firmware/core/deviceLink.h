// The direct link to the relay's /device websocket. Driven by poll() from loop(): it never blocks
// except in the board's connect(), and never runs in the interrupt.
//  - Strikes go out as compact frames with ages, from the outbox. After each frame the link sends
//    a ping carrying the outbox position; the relay's pong (sent only after it has taken every
//    earlier frame) acknowledges those strikes. Unacknowledged strikes are sent again after a
//    reconnect, so a link that died silently (stall, half-open, reset) loses nothing. A relay that
//    says it takes resend marks gets each frame marked with its first strike's outbox position,
//    so a frame it took whose pong was lost in the cut is not heard twice (docs/protocol.md).
//  - The relay's pings are answered; our own pings double as liveness: no pong within
//    silenceDeadMs and the link is declared dead.
//  - Reconnects use full-jitter backoff (backoff.h), reset once a connection opens.
//  - With a striker, the link declares it (`capabilities`) on every connection and hands the relay's
//    `ring` commands to it; the striker applies its own limits, and refusals are counted.
#pragma once
#include <cstddef>
#include <cstdint>
#include "backoff.h"
#include "network.h"
#include "protocolLimits.h"
#include "statusMessage.h"
#include "strikeOutbox.h"
#include "striker.h"
#include "strikerMessages.h"
#include "wsFrame.h"
#include "wsHandshake.h"

namespace aeolian {

/** With nothing to send, ping this often, so a dead link is noticed even on a still day. */
constexpr uint32_t LINK_KEEPALIVE_MS = 5000;
/** A ping unanswered (or a frame unsent) this long means the link is dead: well inside the relay's 20-30 s. */
constexpr uint32_t LINK_SILENCE_DEAD_MS = 15000;

struct LinkConfig {
  const char* host;
  uint16_t port;
  const char* path;  // "/device"
  bool tls;          // wss://
  const char* token;
  const char* firmwareVersion;
  /** Bytes of compact text per frame; at most MAX_DEVICE_FRAME_BYTES. */
  uint32_t frameBudgetBytes;
  uint32_t keepaliveMs;
  uint32_t silenceDeadMs;
  BackoffRange backoff;
  /** Send the status message right after connecting and every statusIntervalMs (on by default). */
  bool sendStatus;
  uint32_t statusIntervalMs;
};

/** A LinkConfig with the protocol's defaults; fill in host, port, tls, token. */
LinkConfig defaultLinkConfig();

enum class LinkEvent : uint8_t {
  connecting,
  connectFailed,
  opened,
  handshakeRefused,  // detail: HTTP status (401: unknown token)
  handshakeTimeout,
  closedByRelay,     // detail: close code
  silence,           // our ping went unanswered: dead link
  brokenLink,        // write or read failed
  protocolError,
  relayError,        // the relay answered with {"type":"error"}: detail 1 bad_message, 2 rate_limited
};

const char* linkEventName(LinkEvent event);

class LinkObserver {
 public:
  virtual void onLinkEvent(LinkEvent event, int32_t detail) = 0;
  /** A strike frame is about to go out (for logs; the text is valid only during the call). */
  virtual void onStrikesSent(const char* frame, size_t length, uint32_t nowMs) {
    (void)frame;
    (void)length;
    (void)nowMs;
  }
  /** A ring command arrived and was rung or refused (a malformed one carries what could be read). */
  virtual void onRing(const RingCommand& ring, RingOutcome outcome, uint32_t nowMs) {
    (void)ring;
    (void)outcome;
    (void)nowMs;
  }

 protected:
  ~LinkObserver() = default;
};

class DeviceLink final : private WsFrameListener {
 public:
  /** `striker`: null on a station without one (rings are then refused and counted). */
  DeviceLink(const LinkConfig& config, NetworkClient& client, DevicePlatform& platform, StrikeOutbox& outbox,
             LinkObserver* observer = nullptr, Striker* striker = nullptr);

  /** Call from loop() as often as possible. */
  void poll(uint32_t nowMs);

  bool open() const { return state_ == State::open; }
  /** Connections opened after the first one. */
  uint32_t reconnects() const { return reconnects_; }
  uint32_t rateLimitedNotices() const { return rateLimitedNotices_; }
  uint32_t refusedFrames() const { return refusedFrames_; }
  /** Text frames from the relay that could not be read. */
  uint32_t unreadableFrames() const { return unreadableFrames_; }
  /** Ring commands not rung: refused by the striker, unreadable, or with no striker here. */
  uint32_t ringsRefused() const { return ringsRefusedHere_ + (striker_ != nullptr ? striker_->refused() : 0); }

 private:
  enum class State : uint8_t { waiting, handshaking, open };

  void startConnect(uint32_t nowMs);
  void pollHandshake(uint32_t nowMs);
  void pollOpen(uint32_t nowMs);
  bool readIncoming();
  bool flushTx();
  void queueFrame(WsOpcode opcode, const uint8_t* payload, size_t length);
  void queuePing(uint32_t nowMs);
  void drop(uint32_t nowMs, LinkEvent why, int32_t detail);
  void emit(LinkEvent event, int32_t detail);
  void sendStatus(uint32_t nowMs);
  void sendCapabilities();
  void ring(const RingCommand& command, bool readable);

  void onText(const char* text, size_t length, bool truncated) override;
  void onPing(const uint8_t* payload, size_t length) override;
  void onPong(const uint8_t* payload, size_t length) override;
  void onClose(uint16_t code) override;
  void onProtocolError() override;

  LinkConfig config_;
  NetworkClient& client_;
  DevicePlatform& platform_;
  StrikeOutbox& outbox_;
  LinkObserver* observer_;
  Striker* striker_;

  State state_ = State::waiting;
  uint32_t retryAtMs_ = 0;
  uint32_t attempt_ = 0;
  uint32_t stateSinceMs_ = 0;
  bool everOpened_ = false;
  uint32_t reconnects_ = 0;
  uint32_t rateLimitedNotices_ = 0;
  uint32_t refusedFrames_ = 0;
  uint32_t unreadableFrames_ = 0;
  uint32_t ringsRefusedHere_ = 0;
  bool capabilitiesDue_ = false;
  // Resend marks (docs/protocol.md, "Resends"): this boot's id, picked at the first connect (the
  // board's RNG is ready by then), and whether the relay of this connection takes marks.
  bool bootChosen_ = false;
  uint32_t bootId_ = 0;
  bool resendMarks_ = false;

  char expectedAccept_[WS_ACCEPT_CHARS] = {};
  HandshakeReader handshake_{expectedAccept_};
  WsFrameReader reader_;

  // One outgoing burst at a time: a pong, then a data frame and its ping (or a status, or a close).
  static constexpr size_t TX_BYTES = wsClientHeaderBytes(125) + 125 + wsClientHeaderBytes(MAX_DEVICE_FRAME_BYTES) +
                                     MAX_DEVICE_FRAME_BYTES + wsClientHeaderBytes(4) + 4;
  uint8_t tx_[TX_BYTES] = {};
  size_t txLength_ = 0;
  size_t txSent_ = 0;
  uint32_t txSinceMs_ = 0;

  // Events seen while reading, acted on by poll (the listener callbacks only take notes).
  bool pongDue_ = false;
  uint8_t pongPayload_[125] = {};
  size_t pongLength_ = 0;
  bool closeReceived_ = false;
  uint16_t closeCode_ = 0;
  bool protocolError_ = false;
  uint32_t nowMs_ = 0;

  bool pingOutstanding_ = false;
  uint32_t pingOutstandingSinceMs_ = 0;
  uint32_t lastPingMark_ = 0;
  uint32_t lastPingAtMs_ = 0;
  uint32_t lastStatusAtMs_ = 0;
};

}  // namespace aeolian
