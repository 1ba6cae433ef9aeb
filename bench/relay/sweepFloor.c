/*
 * The floor for bench:relay: the relay's fan-out (RollingFanOut in src/relay) with nothing but
 * the syscalls. Built by the bench with `gcc -O2`; no dependencies beyond libc.
 *
 * Viewers connect on one port with a websocket upgrade (the bench's viewer generator) and get a
 * hello `{"type":"hello","seq":N}`. The bench sends strikes on a second port, one per line, as the
 * JSON the relay would broadcast cut just before the timestamp (`...,"t":`); the floor stamps t
 * with its own clock on receipt (as the relay stamps a strike when it accepts it), frames it once
 * into one shared log, and one cursor sweeps the viewers, writing each one everything it has not
 * had in a single write(), yielding to the poll loop every SWEEP_CHUNK_VIEWERS viewers.
 *
 * Prints `READY <viewer port> <strike port>` on stdout once listening. Single-threaded, epoll.
 *
 * With `--io-uring` (built with liburing, as the bench does where it is installed: -DFLOOR_IO_URING)
 * each chunk's writes go to the kernel as sends in one io_uring_enter(2), as the relay's native
 * sweep does (native/viewerWrite.c): the floor of that design. Those sends are no write syscalls,
 * so a line "?" on the strike socket is answered with the number submitted so far.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#ifdef FLOOR_IO_URING
#include <liburing.h>
#endif

/* Same as FAN_OUT_CHUNK_VIEWERS in the relay's rollingFanOut.ts. */
#define SWEEP_CHUNK_VIEWERS 500
#define MAX_FDS 65536
#define HANDSHAKE_MAX_BYTES 4096
#define STRIKE_LINE_MAX_BYTES 1024
/* A viewer this far behind the log end is cut (the relay's VIEWER_BACKLOG_BYTES is 1 MiB). */
#define VIEWER_BACKLOG_BYTES (1 << 20)

/* ---- SHA-1 (FIPS 180-1) and base64, for Sec-WebSocket-Accept only ---- */

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1(const unsigned char *msg, size_t len, unsigned char out[20]) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  size_t padded = ((len + 8) / 64 + 1) * 64;
  unsigned char *m = calloc(padded, 1);
  memcpy(m, msg, len);
  m[len] = 0x80;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) m[padded - 1 - i] = (unsigned char)(bits >> (8 * i));
  for (size_t block = 0; block < padded; block += 64) {
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
      w[i] = (uint32_t)m[block + 4 * i] << 24 | (uint32_t)m[block + 4 * i + 1] << 16 | (uint32_t)m[block + 4 * i + 2] << 8 | m[block + 4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
      uint32_t f, k;
      if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
      else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
      else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      else f = b ^ c ^ d, k = 0xCA62C1D6;
      uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d, d = c, c = rol(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  free(m);
  for (int i = 0; i < 20; i++) out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void base64(const unsigned char *in, size_t len, char *out) {
  static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t n = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < len ? in[i + 2] : 0);
    out[o++] = table[(n >> 18) & 63];
    out[o++] = table[(n >> 12) & 63];
    out[o++] = i + 1 < len ? table[(n >> 6) & 63] : '=';
    out[o++] = i + 2 < len ? table[n & 63] : '=';
  }
  out[o] = 0;
}

/* ---- state ---- */

typedef struct {
  int fd;
  int upgraded;
  size_t handshake_len;
  char *handshake;
  /* Absolute log position up to which this viewer has been written. */
  uint64_t sent_up_to;
} Viewer;

static Viewer *viewers[MAX_FDS];
/* Sweep order: fds of upgraded viewers. */
static int order[MAX_FDS];
static int order_len = 0;
static int cursor = 0;
static int sweeping = 0;
/* Set when a pass wrote nothing to some viewer (EAGAIN) or the log grew during it. */
static int pass_left_work = 0;

/* The shared log: bytes from absolute position log_base on. */
static unsigned char *log_bytes = NULL;
static size_t log_len = 0, log_cap = 0;
static uint64_t log_base = 0;
static long long latest_seq = 0;

static int epfd;
#ifdef FLOOR_IO_URING
static struct io_uring ring;
#endif
static int use_ring = 0;
static unsigned long long ring_sends = 0;

static void fail(const char *what) {
  perror(what);
  exit(1);
}

static int listen_on_loopback(int backlog) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) fail("bind");
  if (listen(fd, backlog) < 0) fail("listen");
  return fd;
}

static int port_of(int fd) {
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  getsockname(fd, (struct sockaddr *)&addr, &len);
  return ntohs(addr.sin_port);
}

static void watch(int fd) {
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) fail("epoll_ctl");
}

static void drop_viewer(int fd) {
  Viewer *v = viewers[fd];
  if (!v) return;
  if (v->upgraded) {
    for (int i = 0; i < order_len; i++) {
      if (order[i] != fd) continue;
      /* Keep the sweep order; a removed viewer before the cursor moves the cursor back one. */
      memmove(&order[i], &order[i + 1], (size_t)(order_len - i - 1) * sizeof(int));
      order_len--;
      if (i < cursor) cursor--;
      break;
    }
  }
  free(v->handshake);
  free(v);
  viewers[fd] = NULL;
  close(fd);
}

static void append_log(const unsigned char *bytes, size_t len) {
  if (log_len + len > log_cap) {
    log_cap = (log_len + len) * 2;
    log_bytes = realloc(log_bytes, log_cap);
    if (!log_bytes) fail("realloc");
  }
  memcpy(log_bytes + log_len, bytes, len);
  log_len += len;
}

static uint64_t log_head(void) { return log_base + log_len; }

/* Forgets the log bytes every viewer has had. */
static void compact_log(void) {
  uint64_t min = log_head();
  for (int i = 0; i < order_len; i++)
    if (viewers[order[i]]->sent_up_to < min) min = viewers[order[i]]->sent_up_to;
  size_t done = (size_t)(min - log_base);
  if (done == 0) return;
  memmove(log_bytes, log_bytes + done, log_len - done);
  log_len -= done;
  log_base = min;
}

static void send_all(int fd, const char *bytes, size_t len) {
  /* Handshakes are small; a fresh socket's buffer takes them whole. */
  while (len > 0) {
    ssize_t n = write(fd, bytes, len);
    if (n <= 0) return;
    bytes += n, len -= (size_t)n;
  }
}

static void upgrade(Viewer *v) {
  char *key = strcasestr(v->handshake, "Sec-WebSocket-Key:");
  if (!key) {
    drop_viewer(v->fd);
    return;
  }
  key += strlen("Sec-WebSocket-Key:");
  while (*key == ' ') key++;
  char joined[128];
  int key_len = (int)strcspn(key, "\r\n");
  if (key_len > 64) key_len = 64;
  snprintf(joined, sizeof joined, "%.*s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key_len, key);
  unsigned char digest[20];
  sha1((unsigned char *)joined, strlen(joined), digest);
  char accept[32];
  base64(digest, 20, accept);
  char reply[512];
  int n = snprintf(reply, sizeof reply,
                   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept);
  char hello[64];
  int hello_len = snprintf(hello, sizeof hello, "{\"type\":\"hello\",\"seq\":%lld}", latest_seq);
  reply[n++] = (char)0x81;
  reply[n++] = (char)hello_len;
  memcpy(reply + n, hello, (size_t)hello_len);
  send_all(v->fd, reply, (size_t)n + (size_t)hello_len);
  free(v->handshake);
  v->handshake = NULL;
  v->upgraded = 1;
  v->sent_up_to = log_head();
  order[order_len++] = v->fd;
}

static void on_viewer_readable(int fd) {
  Viewer *v = viewers[fd];
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    drop_viewer(fd);
    return;
  }
  if (n < 0 || v->upgraded) return; /* after the upgrade: pongs, ignored */
  if (v->handshake_len + (size_t)n >= HANDSHAKE_MAX_BYTES) {
    drop_viewer(fd);
    return;
  }
  memcpy(v->handshake + v->handshake_len, buf, (size_t)n);
  v->handshake_len += (size_t)n;
  v->handshake[v->handshake_len] = 0;
  if (strstr(v->handshake, "\r\n\r\n")) upgrade(v);
}

static void accept_viewers(int listen_fd) {
  for (;;) {
    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK);
    if (fd < 0) return;
    if (fd >= MAX_FDS) {
      close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Viewer *v = calloc(1, sizeof *v);
    v->fd = fd;
    v->handshake = malloc(HANDSHAKE_MAX_BYTES);
    viewers[fd] = v;
    watch(fd);
  }
}

static char strike_line[STRIKE_LINE_MAX_BYTES];
static size_t strike_line_len = 0;

/* One strike line -> one websocket text frame in the log, stamped with t now (ms). */
static void on_strike_line(const char *line, size_t len) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  long long ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
  char payload[STRIKE_LINE_MAX_BYTES + 32];
  int payload_len = snprintf(payload, sizeof payload, "%.*s%lld}", (int)len, line, ms);
  const char *seq = strstr(payload, "\"seq\":");
  if (seq) latest_seq = strtoll(seq + 6, NULL, 10);
  unsigned char header[4];
  size_t header_len;
  header[0] = 0x81;
  if (payload_len < 126) {
    header[1] = (unsigned char)payload_len;
    header_len = 2;
  } else {
    header[1] = 126;
    header[2] = (unsigned char)(payload_len >> 8);
    header[3] = (unsigned char)payload_len;
    header_len = 4;
  }
  append_log(header, header_len);
  append_log((unsigned char *)payload, (size_t)payload_len);
  if (sweeping) pass_left_work = 1;
  sweeping = 1;
}

static void on_strikes_readable(int fd) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) exit(0); /* the bench hung up: done */
    if (n < 0) return;
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '\n') {
        if (strike_line_len == 1 && strike_line[0] == '?') {
          char count[32];
          int count_len = snprintf(count, sizeof count, "%llu\n", ring_sends);
          send_all(fd, count, (size_t)count_len);
        } else {
          on_strike_line(strike_line, strike_line_len);
        }
        strike_line_len = 0;
      } else if (strike_line_len < STRIKE_LINE_MAX_BYTES - 1) {
        strike_line[strike_line_len++] = buf[i];
      }
    }
  }
}

/* After a write or send to a viewer took `n` bytes (or -errno): on, or cut. Returns whether it stays. */
static int after_write(int fd, ssize_t n, uint64_t head) {
  Viewer *v = viewers[fd];
  if (n > 0) v->sent_up_to += (uint64_t)n;
  else if (n < 0 && n != -EAGAIN && n != -EINTR) {
    drop_viewer(fd);
    return 0;
  }
  if (v->sent_up_to < head) {
    if (head - v->sent_up_to > VIEWER_BACKLOG_BYTES) {
      drop_viewer(fd);
      return 0;
    }
    pass_left_work = 1;
  }
  return 1;
}

static void end_of_chunk(void) {
  if (cursor < order_len) return;
  cursor = 0;
  compact_log();
  sweeping = pass_left_work;
  pass_left_work = 0;
}

#ifdef FLOOR_IO_URING
/* The chunk's sends in one submission; results applied as the write loop applies write(2)'s. */
static void sweep_chunk_by_ring(void) {
  uint64_t head = log_head();
  int fds[SWEEP_CHUNK_VIEWERS];
  unsigned queued = 0;
  for (int done = 0; done < SWEEP_CHUNK_VIEWERS && cursor < order_len; done++, cursor++) {
    int fd = order[cursor];
    Viewer *v = viewers[fd];
    if (v->sent_up_to >= head) continue;
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    io_uring_prep_send(sqe, fd, log_bytes + (v->sent_up_to - log_base), (size_t)(head - v->sent_up_to), MSG_DONTWAIT | MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, queued);
    fds[queued++] = fd;
  }
  if (queued > 0) {
    int submitted;
    do submitted = io_uring_submit_and_wait(&ring, queued);
    while (submitted == -EINTR);
    if (submitted < 0) fail("io_uring_submit");
    ring_sends += queued;
    ssize_t results[SWEEP_CHUNK_VIEWERS];
    for (unsigned reaped = 0; reaped < queued; reaped++) {
      struct io_uring_cqe *cqe;
      if (io_uring_wait_cqe(&ring, &cqe) < 0) fail("io_uring_wait_cqe");
      results[io_uring_cqe_get_data64(cqe)] = cqe->res;
      io_uring_cqe_seen(&ring, cqe);
    }
    /* Applied after every send was made: a cut viewer's removal moves the cursor back as needed. */
    for (unsigned k = 0; k < queued; k++) after_write(fds[k], results[k], head);
  }
  end_of_chunk();
}
#endif

/* Up to SWEEP_CHUNK_VIEWERS viewers from the cursor: each gets everything pending in one write. */
static void sweep_chunk(void) {
#ifdef FLOOR_IO_URING
  if (use_ring) return sweep_chunk_by_ring();
#endif
  uint64_t head = log_head();
  for (int done = 0; done < SWEEP_CHUNK_VIEWERS && cursor < order_len; done++) {
    int fd = order[cursor];
    Viewer *v = viewers[fd];
    if (v->sent_up_to < head) {
      ssize_t n = write(fd, log_bytes + (v->sent_up_to - log_base), (size_t)(head - v->sent_up_to));
      if (!after_write(fd, n < 0 ? -errno : n, head)) continue;
    }
    cursor++;
  }
  end_of_chunk();
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  use_ring = argc > 1 && strcmp(argv[1], "--io-uring") == 0;
  if (use_ring) {
#ifdef FLOOR_IO_URING
    if (io_uring_queue_init(SWEEP_CHUNK_VIEWERS + 12, &ring, 0) < 0) fail("io_uring_queue_init");
#else
    fprintf(stderr, "sweepFloor: --io-uring needs a build with liburing (-DFLOOR_IO_URING)\n");
    return 2;
#endif
  }
  int viewer_fd = listen_on_loopback(4096);
  int strike_listen_fd = listen_on_loopback(1);
  epfd = epoll_create1(0);
  watch(viewer_fd);
  watch(strike_listen_fd);
  printf("READY %d %d\n", port_of(viewer_fd), port_of(strike_listen_fd));
  fflush(stdout);
  struct epoll_event events[256];
  for (;;) {
    int ready = epoll_wait(epfd, events, 256, sweeping ? 0 : -1);
    for (int i = 0; i < ready; i++) {
      int fd = events[i].data.fd;
      if (fd == viewer_fd) accept_viewers(viewer_fd);
      else if (fd == strike_listen_fd) {
        int strikes_fd = accept4(strike_listen_fd, NULL, NULL, SOCK_NONBLOCK);
        if (strikes_fd >= 0) watch(strikes_fd);
      } else if (viewers[fd]) on_viewer_readable(fd);
      else on_strikes_readable(fd);
    }
    if (sweeping) sweep_chunk();
  }
}
