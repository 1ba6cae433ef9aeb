#include "deviceLink.h"

namespace aeolian {

namespace {

/** Largest header of a data frame (payload 126..65535 bytes); data is encoded right after it. */
constexpr size_t DATA_HEADER_ROOM = 8;
/** Reads per poll, so a chatty relay cannot starve the loop. */
constexpr int READS_PER_POLL = 8;

bool due(uint32_t nowMs, uint32_t atMs) { return static_cast<int32_t>(nowMs - atMs) >= 0; }

}  // namespace

LinkConfig defaultLinkConfig() {
  LinkConfig config{};
  config.path = "/device";
  config.port = 443;
  config.tls = true;
  config.firmwareVersion = "0.1.0";
  config.frameBudgetBytes = MAX_DEVICE_FRAME_BYTES;
  config.keepaliveMs = LINK_KEEPALIVE_MS;
  config.silenceDeadMs = LINK_SILENCE_DEAD_MS;
  config.backoff = BackoffRange{RECONNECT_BASE_MS, RECONNECT_CAP_MS};
  config.sendStatus = true;
  config.statusIntervalMs = DEVICE_STATUS_INTERVAL_MS;
  return config;
}

const char* linkEventName(LinkEvent event) {
  switch (event) {
    case LinkEvent::connecting: return "connecting";
    case LinkEvent::connectFailed: return "connect_failed";
    case LinkEvent::opened: return "opened";
    case LinkEvent::handshakeRefused: return "handshake_refused";
    case LinkEvent::handshakeTimeout: return "handshake_timeout";
    case LinkEvent::closedByRelay: return "closed_by_relay";
    case LinkEvent::silence: return "silence";
    case LinkEvent::brokenLink: return "broken_link";
    case LinkEvent::protocolError: return "protocol_error";
    case LinkEvent::relayError: return "relay_error";
  }
  return "unknown";
}

DeviceLink::DeviceLink(const LinkConfig& config, NetworkClient& client, DevicePlatform& platform, StrikeOutbox& outbox,
                       LinkObserver* observer, Striker* striker)
    : config_(config), client_(client), platform_(platform), outbox_(outbox), observer_(observer), striker_(striker) {
  if (config_.frameBudgetBytes == 0 || config_.frameBudgetBytes > MAX_DEVICE_FRAME_BYTES) {
    config_.frameBudgetBytes = MAX_DEVICE_FRAME_BYTES;
  }
}

void DeviceLink::emit(LinkEvent event, int32_t detail) {
  if (observer_ != nullptr) observer_->onLinkEvent(event, detail);
}

void DeviceLink::poll(uint32_t nowMs) {
  nowMs_ = nowMs;
  switch (state_) {
    case State::waiting:
      if (due(nowMs, retryAtMs_)) startConnect(nowMs);
      break;
    case State::handshaking:
      pollHandshake(nowMs);
      break;
    case State::open:
      pollOpen(nowMs);
      break;
  }
}

void DeviceLink::startConnect(uint32_t nowMs) {
  emit(LinkEvent::connecting, static_cast<int32_t>(attempt_));
  if (!client_.connect(config_.host, config_.port, config_.tls)) {
    drop(nowMs, LinkEvent::connectFailed, 0);
    return;
  }
  if (!bootChosen_) {
    bootId_ = platform_.random32();
    bootChosen_ = true;
  }
  uint8_t key[16];
  for (int i = 0; i < 4; i++) {
    const uint32_t word = platform_.random32();
    for (int b = 0; b < 4; b++) key[4 * i + b] = static_cast<uint8_t>(word >> (8 * b));
  }
  const HandshakeRequest request{config_.host, config_.port, config_.path, config_.token};
  txLength_ = writeHandshakeRequest(request, key, reinterpret_cast<char*>(tx_), sizeof(tx_), expectedAccept_);
  txSent_ = 0;
  txSinceMs_ = nowMs;
  handshake_ = HandshakeReader(expectedAccept_);
  reader_.reset();
  state_ = State::handshaking;
  stateSinceMs_ = nowMs;
}

void DeviceLink::pollHandshake(uint32_t nowMs) {
  if (!flushTx()) return drop(nowMs, LinkEvent::brokenLink, 0);
  uint8_t buffer[256];
  for (int i = 0; i < READS_PER_POLL && state_ == State::handshaking; i++) {
    const int32_t got = client_.read(buffer, sizeof(buffer));
    if (got < 0) return drop(nowMs, LinkEvent::brokenLink, 0);
    if (got == 0) break;
    size_t consumed = 0;
    switch (handshake_.feed(buffer, static_cast<size_t>(got), consumed)) {
      case HandshakeStatus::incomplete:
        break;
      case HandshakeStatus::accepted:
        state_ = State::open;
        stateSinceMs_ = nowMs;
        resendMarks_ = handshake_.resendMarks();
        if (everOpened_) reconnects_++;
        everOpened_ = true;
        attempt_ = 0;
        lastPingAtMs_ = nowMs;
        // The first status goes out right after opening, then every interval.
        lastStatusAtMs_ = nowMs - config_.statusIntervalMs;
        // The relay forgets a device's capabilities with its connection: declare them on each one.
        capabilitiesDue_ = striker_ != nullptr;
        emit(LinkEvent::opened, static_cast<int32_t>(reconnects_));
        reader_.feed(buffer + consumed, static_cast<size_t>(got) - consumed, *this);
        break;
      case HandshakeStatus::unauthorized:
      case HandshakeStatus::refused:
        return drop(nowMs, LinkEvent::handshakeRefused, handshake_.httpStatus());
      case HandshakeStatus::malformed:
        return drop(nowMs, LinkEvent::protocolError, handshake_.httpStatus());
    }
  }
  if (state_ == State::handshaking && due(nowMs, stateSinceMs_ + HANDSHAKE_TIMEOUT_MS)) {
    drop(nowMs, LinkEvent::handshakeTimeout, 0);
  }
}

bool DeviceLink::readIncoming() {
  uint8_t buffer[256];
  for (int i = 0; i < READS_PER_POLL; i++) {
    const int32_t got = client_.read(buffer, sizeof(buffer));
    if (got < 0) return false;
    if (got == 0) return true;
    reader_.feed(buffer, static_cast<size_t>(got), *this);
  }
  return true;
}

void DeviceLink::pollOpen(uint32_t nowMs) {
  if (!readIncoming()) return drop(nowMs, LinkEvent::brokenLink, 0);
  if (protocolError_) return drop(nowMs, LinkEvent::protocolError, 0);
  if (closeReceived_) {
    // Answer the close (best effort: the link is going either way), then reconnect.
    txLength_ = txSent_ = 0;
    const uint8_t code[2] = {static_cast<uint8_t>(closeCode_ >> 8), static_cast<uint8_t>(closeCode_)};
    queueFrame(WsOpcode::close, code, closeCode_ == 1005 ? 0 : 2);
    flushTx();
    return drop(nowMs, LinkEvent::closedByRelay, closeCode_);
  }
  if (!flushTx()) return drop(nowMs, LinkEvent::brokenLink, 0);
  if (txLength_ != 0) {
    // A frame stuck in a full send buffer is as dead as an unanswered ping.
    if (!due(txSinceMs_ + config_.silenceDeadMs, nowMs)) return;
    return drop(nowMs, LinkEvent::silence, 1);
  }
  txSinceMs_ = nowMs;
  if (pongDue_) {
    pongDue_ = false;
    queueFrame(WsOpcode::pong, pongPayload_, pongLength_);
  }
  if (capabilitiesDue_) {
    sendCapabilities();
  } else if (outbox_.unsent() > 0) {
    char* text = reinterpret_cast<char*>(tx_ + txLength_ + DATA_HEADER_ROOM);
    size_t strikes = 0;
    const size_t bytes = outbox_.encodeUnsent(nowMs, text, config_.frameBudgetBytes, strikes, resendMarks_ ? &bootId_ : nullptr);
    if (bytes > 0) {
      if (observer_ != nullptr) observer_->onStrikesSent(text, bytes, nowMs);
      uint8_t mask[4];
      const uint32_t random = platform_.random32();
      for (int b = 0; b < 4; b++) mask[b] = static_cast<uint8_t>(random >> (8 * b));
      // The header goes right before the text and the text is masked in place (each byte is read
      // before the same address is written), so the frame is built without a second 4 KiB buffer.
      const size_t start = txLength_ + DATA_HEADER_ROOM - wsClientHeaderBytes(bytes);
      const size_t frame = writeClientFrame(WsOpcode::text, reinterpret_cast<const uint8_t*>(text), bytes, mask,
                                            tx_ + start, sizeof(tx_) - start);
      // A pong queued above sits before `start`; close the gap of unused header room.
      for (size_t i = 0; i < frame; i++) tx_[txLength_ + i] = tx_[start + i];
      txLength_ += frame;
      outbox_.markSent(strikes);
      queuePing(nowMs);
    }
  } else if (config_.sendStatus && due(nowMs, lastStatusAtMs_ + config_.statusIntervalMs)) {
    sendStatus(nowMs);
  } else if (!pingOutstanding_ && due(nowMs, lastPingAtMs_ + config_.keepaliveMs)) {
    queuePing(nowMs);
  }
  if (!flushTx()) return drop(nowMs, LinkEvent::brokenLink, 0);
  if (pingOutstanding_ && due(nowMs, pingOutstandingSinceMs_ + config_.silenceDeadMs)) {
    drop(nowMs, LinkEvent::silence, 0);
  }
}

void DeviceLink::queuePing(uint32_t nowMs) {
  // The ping carries the outbox position it acknowledges, echoed back in the pong.
  const uint32_t mark = outbox_.sentMark();
  const uint8_t payload[4] = {static_cast<uint8_t>(mark >> 24), static_cast<uint8_t>(mark >> 16),
                              static_cast<uint8_t>(mark >> 8), static_cast<uint8_t>(mark)};
  queueFrame(WsOpcode::ping, payload, sizeof(payload));
  if (!pingOutstanding_) {
    pingOutstanding_ = true;
    pingOutstandingSinceMs_ = nowMs;
  }
  lastPingMark_ = mark;
  lastPingAtMs_ = nowMs;
}

void DeviceLink::sendStatus(uint32_t nowMs) {
  lastStatusAtMs_ = nowMs;
  DeviceStatus status{};
  status.firmware = config_.firmwareVersion;
  status.uptimeS = platform_.uptimeS();
  status.hasSignal = platform_.signalDbm(status.signalDbm);
  status.reconnects = reconnects_;
  status.strikesDropped = outbox_.dropped() + platform_.strikesLostBeforeOutbox();
  status.hasStriker = striker_ != nullptr;
  status.ringsRefused = ringsRefused();
  char text[MAX_STATUS_FRAME_BYTES];
  const size_t length = writeStatusMessage(status, text, sizeof(text));
  if (length > 0) queueFrame(WsOpcode::text, reinterpret_cast<const uint8_t*>(text), length);
}

void DeviceLink::sendCapabilities() {
  capabilitiesDue_ = false;
  char text[MAX_CAPABILITIES_FRAME_BYTES];
  const size_t length = writeCapabilitiesMessage(striker_->limits(), text, sizeof(text));
  if (length > 0) queueFrame(WsOpcode::text, reinterpret_cast<const uint8_t*>(text), length);
}

void DeviceLink::queueFrame(WsOpcode opcode, const uint8_t* payload, size_t length) {
  uint8_t mask[4];
  const uint32_t random = platform_.random32();
  for (int b = 0; b < 4; b++) mask[b] = static_cast<uint8_t>(random >> (8 * b));
  txLength_ += writeClientFrame(opcode, payload, length, mask, tx_ + txLength_, sizeof(tx_) - txLength_);
}

bool DeviceLink::flushTx() {
  while (txSent_ < txLength_) {
    const int32_t wrote = client_.write(tx_ + txSent_, txLength_ - txSent_);
    if (wrote < 0) return false;
    if (wrote == 0) return true;
    txSent_ += static_cast<size_t>(wrote);
  }
  txLength_ = txSent_ = 0;
  return true;
}

void DeviceLink::drop(uint32_t nowMs, LinkEvent why, int32_t detail) {
  emit(why, detail);
  client_.stop();
  // Whatever the relay has not acknowledged goes again on the next connection, with fresh ages.
  outbox_.rewind();
  reader_.reset();
  txLength_ = txSent_ = 0;
  pongDue_ = closeReceived_ = protocolError_ = pingOutstanding_ = false;
  state_ = State::waiting;
  retryAtMs_ = nowMs + fullJitterDelayMs(attempt_++, config_.backoff, platform_.random32());
}

void DeviceLink::onText(const char* text, size_t length, bool truncated) {
  // The relay sends errors ({"type":"error","code":"bad_message"|"rate_limited",...}) and rings.
  const RelayMessage message = readRelayMessage(text, length, truncated);
  switch (message.kind) {
    case RelayMessageKind::ring:
      ring(message.ring, true);
      break;
    case RelayMessageKind::error:
      if (message.error == RelayErrorCode::rateLimited) {
        rateLimitedNotices_++;
        emit(LinkEvent::relayError, 2);
      } else if (message.error == RelayErrorCode::badMessage) {
        refusedFrames_++;
        emit(LinkEvent::relayError, 1);
      }
      break;
    case RelayMessageKind::other:
      break;  // a newer relay's message this firmware does not know
    case RelayMessageKind::malformed:
      unreadableFrames_++;
      if (message.typeRing) ring(message.ring, false);
      break;
  }
}

void DeviceLink::ring(const RingCommand& command, bool readable) {
  RingOutcome outcome = RingOutcome::malformed;
  if (readable) outcome = striker_ != nullptr ? striker_->ring(command.chime, command.velocity, nowMs_) : RingOutcome::noStriker;
  if (outcome != RingOutcome::rung && (!readable || striker_ == nullptr)) ringsRefusedHere_++;
  if (observer_ != nullptr) observer_->onRing(command, outcome, nowMs_);
}

void DeviceLink::onPing(const uint8_t* payload, size_t length) {
  pongDue_ = true;
  pongLength_ = length < sizeof(pongPayload_) ? length : sizeof(pongPayload_);
  for (size_t i = 0; i < pongLength_; i++) pongPayload_[i] = payload[i];
}

void DeviceLink::onPong(const uint8_t* payload, size_t length) {
  if (length != 4) return;
  const uint32_t mark = (uint32_t(payload[0]) << 24) | (uint32_t(payload[1]) << 16) | (uint32_t(payload[2]) << 8) |
                        uint32_t(payload[3]);
  outbox_.acknowledge(mark);
  // Pongs come back in order: the latest ping answered means none is outstanding.
  if (mark == lastPingMark_) pingOutstanding_ = false;
  else pingOutstandingSinceMs_ = nowMs_;
}

void DeviceLink::onClose(uint16_t code) {
  closeReceived_ = true;
  closeCode_ = code;
}

void DeviceLink::onProtocolError() { protocolError_ = true; }

}  // namespace aeolian
