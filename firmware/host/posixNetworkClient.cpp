#include "posixNetworkClient.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

bool PosixNetworkClient::connect(const char* host, uint16_t port, bool tls) {
  stop();
  if (tls) return false;  // no TLS on the host build: the e2e tests use ws:// on loopback
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  char service[8];
  std::snprintf(service, sizeof(service), "%u", static_cast<unsigned>(port));
  if (getaddrinfo(host, service, &hints, &found) != 0 || found == nullptr) return false;
  fd_ = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd_ < 0) {
    freeaddrinfo(found);
    return false;
  }
  fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  int result = ::connect(fd_, found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  if (result != 0 && errno == EINPROGRESS) {
    pollfd waiting{fd_, POLLOUT, 0};
    int error = 0;
    socklen_t length = sizeof(error);
    result = poll(&waiting, 1, connectTimeoutMs_) == 1 && getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0 ? 0 : -1;
  }
  if (result != 0) {
    stop();
    return false;
  }
  // Strikes are small and late is wrong: no Nagle delay.
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return true;
}

int32_t PosixNetworkClient::write(const uint8_t* data, size_t length) {
  if (fd_ < 0) return -1;
  const ssize_t wrote = send(fd_, data, length, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (wrote >= 0) return static_cast<int32_t>(wrote);
  return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
}

int32_t PosixNetworkClient::read(uint8_t* out, size_t capacity) {
  if (fd_ < 0) return -1;
  const ssize_t got = recv(fd_, out, capacity, MSG_DONTWAIT);
  if (got > 0) return static_cast<int32_t>(got);
  if (got == 0) return -1;  // the peer closed
  return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
}

void PosixNetworkClient::stop() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}
