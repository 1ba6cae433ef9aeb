// bench:relay's load generator in C: thousands of /live viewers on one epoll loop, doing what
// viewerSwarm.ts does (handshake, unmasked server frames, pong, seq and t read straight from the
// bytes) at about half its CPU per read. On one 2-core machine every read the generator makes is
// CPU the relay under test does not get, so the lighter the generator, the more the benchmark
// measures the relay. Driven by run.ts over stdin (one command a line) and stdout (one JSON a line);
// the commands and replies are those of viewerSwarm.ts (SwarmCommand, SwarmConnected, SwarmReport).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_LATENCY_MS 60000
#define READ_BUFFER_BYTES 65536
#define KEY "dGhlIHNhbXBsZSBub25jZQ=="
static const char STRIKE_PREFIX[] = "{\"type\":\"strike\",\"seq\":";

typedef struct {
  int fd;
  int connected, upgraded, open, stalled, greeted, closed;
  long long last_seq;
  int close_code;
  unsigned char *pending;
  size_t pending_len, pending_cap;
} Viewer;

static Viewer *viewers;
static int viewer_count, viewer_cap;
static int epoll_fd;
static struct {
  long long frames, reads, bytes, strikes, gaps;
  uint32_t latency[MAX_LATENCY_MS + 1];
  int latency_max;
} stats;

// A connect command under way.
static struct {
  int active, port, count, concurrency, spread_ms, started, in_flight, hello_count, failed;
  char address[64];
  double started_at;
  double *hello_at_ms;
} job;

static double monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long long wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void watch(Viewer *v, uint32_t events, int op) {
  struct epoll_event ev = {.events = events, .data.u32 = (uint32_t)(v - viewers)};
  epoll_ctl(epoll_fd, op, v->fd, &ev);
}

static void greeted(Viewer *v) {
  v->greeted = 1;
  job.in_flight--;
  job.hello_at_ms[job.hello_count++] = monotonic_ms() - job.started_at;
}

static void close_viewer(Viewer *v) {
  if (v->closed) return;
  v->closed = 1;
  v->open = 0;
  close(v->fd);
  if (!v->greeted && job.active) {
    job.in_flight--;
    job.failed++;
  }
}

static void send_all(Viewer *v, const void *data, size_t len) {
  // Handshakes and pongs are tiny; a full send buffer here means the test is broken anyway.
  if (write(v->fd, data, len) < 0 && errno != EAGAIN) close_viewer(v);
}

static void on_text(Viewer *v, const unsigned char *p, size_t len, long long now) {
  size_t prefix = sizeof STRIKE_PREFIX - 1;
  if (len > prefix && memcmp(p, STRIKE_PREFIX, prefix) == 0) {
    long long seq = 0, t = 0, scale = 1;
    for (size_t i = prefix; i < len && p[i] != ','; i++) seq = seq * 10 + (p[i] - '0');
    // ...,"t":<digits>} : read t backwards from the closing brace.
    for (size_t i = len - 2; i > 0 && p[i] != ':'; i--, scale *= 10) t += (p[i] - '0') * scale;
    if (v->last_seq >= 0 && seq != v->last_seq + 1 && seq > v->last_seq + 1) stats.gaps += seq - v->last_seq - 1;
    v->last_seq = seq;
    stats.strikes++;
    long long ms = now - t;
    if (ms < 0) ms = 0;
    if (ms > MAX_LATENCY_MS) ms = MAX_LATENCY_MS;
    stats.latency[ms]++;
    if (ms > stats.latency_max) stats.latency_max = (int)ms;
    return;
  }
  if (v->open) return;
  const unsigned char *type = memmem(p, len, "\"type\":\"hello\"", 14);
  const unsigned char *seq = memmem(p, len, "\"seq\":", 6);
  if (!type || !seq) return;
  v->open = 1;
  v->last_seq = strtoll((const char *)seq + 6, NULL, 10);
  greeted(v);
}

static void on_data(Viewer *v, unsigned char *chunk, size_t n) {
  stats.reads++;
  unsigned char *data = chunk;
  size_t len = n;
  if (v->pending_len > 0) {
    if (v->pending_len + n > v->pending_cap) {
      v->pending_cap = (v->pending_len + n) * 2;
      v->pending = realloc(v->pending, v->pending_cap);
    }
    memcpy(v->pending + v->pending_len, chunk, n);
    v->pending_len += n;
    data = v->pending;
    len = v->pending_len;
  }
  size_t offset = 0;
  if (!v->upgraded) {
    unsigned char *end = memmem(data, len, "\r\n\r\n", 4);
    if (!end) goto keep;
    if (len < 12 || memcmp(data, "HTTP/1.1 101", 12) != 0) {
      close_viewer(v);
      return;
    }
    v->upgraded = 1;
    offset = (size_t)(end - data) + 4;
  }
  long long now = wall_ms();
  while (len - offset >= 2) {
    int opcode = data[offset] & 0x0f;
    unsigned long long length = data[offset + 1] & 0x7f;
    size_t header = 2;
    if (length == 126) {
      if (len - offset < 4) break;
      length = ((unsigned long long)data[offset + 2] << 8) | data[offset + 3];
      header = 4;
    } else if (length == 127) {
      if (len - offset < 10) break;
      length = 0;
      for (int i = 0; i < 8; i++) length = (length << 8) | data[offset + 2 + i];
      header = 10;
    }
    if (len - offset < header + length) break;
    unsigned char *payload = data + offset + header;
    offset += header + length;
    stats.frames++;
    stats.bytes += header + length;
    if (opcode == 0x1) on_text(v, payload, length, now);
    else if (opcode == 0x9 && length <= 125) {
      // Client frames must be masked; an all-zero mask key leaves the payload as it is.
      unsigned char pong[6 + 125] = {0x8a, (unsigned char)(0x80 | length), 0, 0, 0, 0};
      memcpy(pong + 6, payload, length);
      send_all(v, pong, 6 + length);
    } else if (opcode == 0x8) v->close_code = length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
  }
keep:
  if (offset < len) {
    size_t rest = len - offset;
    if (data == v->pending) memmove(v->pending, data + offset, rest);
    else {
      if (rest > v->pending_cap) {
        v->pending_cap = rest * 2;
        v->pending = realloc(v->pending, v->pending_cap);
      }
      memcpy(v->pending, data + offset, rest);
    }
    v->pending_len = rest;
  } else v->pending_len = 0;
}

static void start_one(void) {
  if (viewer_count == viewer_cap) {
    viewer_cap = viewer_cap ? viewer_cap * 2 : 1024;
    viewers = realloc(viewers, sizeof(Viewer) * viewer_cap);
  }
  Viewer *v = &viewers[viewer_count++];
  memset(v, 0, sizeof *v);
  v->last_seq = -1;
  job.started++;
  job.in_flight++;
  v->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(v->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(v->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  struct sockaddr_in local = {.sin_family = AF_INET};
  inet_pton(AF_INET, job.address, &local.sin_addr);
  struct sockaddr_in remote = {.sin_family = AF_INET, .sin_port = htons(job.port)};
  inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  if (v->fd < 0 || bind(v->fd, (struct sockaddr *)&local, sizeof local) < 0 ||
      (connect(v->fd, (struct sockaddr *)&remote, sizeof remote) < 0 && errno != EINPROGRESS)) {
    if (v->fd >= 0) close(v->fd);
    v->closed = 1;
    job.in_flight--;
    job.failed++;
    return;
  }
  watch(v, EPOLLOUT | EPOLLIN, EPOLL_CTL_ADD);
}

static void start_more(void) {
  while (job.active && job.in_flight < job.concurrency && job.started < job.count) {
    // With a spread, viewer i may not start before i * spread / count ms (a storm inside a window).
    if (job.spread_ms && monotonic_ms() - job.started_at < (double)job.started * job.spread_ms / job.count) return;
    start_one();
  }
}

static void finish_connect_if_done(void) {
  if (!job.active || job.hello_count + job.failed < job.count) return;
  job.active = 0;
  printf("{\"type\":\"connected\",\"helloCount\":%d,\"failed\":%d,\"ms\":%.1f,\"helloAtMs\":[", job.hello_count, job.failed,
         monotonic_ms() - job.started_at);
  for (int i = 0; i < job.hello_count; i++) printf("%s%.1f", i ? "," : "", job.hello_at_ms[i]);
  printf("]}\n");
  fflush(stdout);
  free(job.hello_at_ms);
}

static void report(void) {
  int open = 0;
  long long min = 0, max = 0;
  int codes[5000] = {0};
  for (int i = 0; i < viewer_count; i++) {
    Viewer *v = &viewers[i];
    if (v->close_code > 0 && v->close_code < 5000) codes[v->close_code]++;
    if (!v->open || v->stalled) continue;
    if (open == 0 || v->last_seq < min) min = v->last_seq;
    if (open == 0 || v->last_seq > max) max = v->last_seq;
    open++;
  }
  printf("{\"type\":\"report\",\"viewers\":%d,\"open\":%d,\"frames\":%lld,\"reads\":%lld,\"bytes\":%lld,\"strikes\":%lld,\"gaps\":%lld,\"closeCodes\":{",
         viewer_count, open, stats.frames, stats.reads, stats.bytes, stats.strikes, stats.gaps);
  int first = 1;
  for (int code = 0; code < 5000; code++)
    if (codes[code]) {
      printf("%s\"%d\":%d", first ? "" : ",", code, codes[code]);
      first = 0;
    }
  if (open) printf("},\"lastSeqs\":{\"min\":%lld,\"max\":%lld},\"latency\":[", min, max);
  else printf("},\"lastSeqs\":{\"min\":null,\"max\":null},\"latency\":[");
  first = 1;
  for (int ms = 0; ms <= stats.latency_max; ms++)
    if (stats.latency[ms]) {
      printf("%s[%d,%u]", first ? "" : ",", ms, stats.latency[ms]);
      first = 0;
    }
  printf("]}\n");
  fflush(stdout);
}

static void command(char *line) {
  if (strncmp(line, "connect ", 8) == 0) {
    memset(&job, 0, sizeof job);
    if (sscanf(line + 8, "%d %d %63s %d %d", &job.port, &job.count, job.address, &job.concurrency, &job.spread_ms) != 5) {
      fprintf(stderr, "viewerSwarm.c: bad connect command: %s\n", line);
      exit(2);
    }
    job.active = 1;
    job.started_at = monotonic_ms();
    job.hello_at_ms = malloc(sizeof(double) * (job.count + 1));
    start_more();
    finish_connect_if_done();
  } else if (strcmp(line, "reset") == 0) {
    memset(&stats, 0, sizeof stats);
    printf("{\"type\":\"reset\"}\n");
    fflush(stdout);
  } else if (strncmp(line, "stall ", 6) == 0) {
    int every = (int)(1 / atof(line + 6) + 0.5);
    for (int i = 0; i < viewer_count; i += every) {
      if (viewers[i].closed) continue;
      viewers[i].stalled = 1;
      epoll_ctl(epoll_fd, EPOLL_CTL_DEL, viewers[i].fd, NULL);
    }
    printf("{\"type\":\"stalled\"}\n");
    fflush(stdout);
  } else if (strcmp(line, "report") == 0) report();
  else if (strcmp(line, "exit") == 0) {
    for (int i = 0; i < viewer_count; i++) if (!viewers[i].closed) close(viewers[i].fd);
    exit(0);
  }
}

int main(void) {
  epoll_fd = epoll_create1(0);
  struct epoll_event in = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, 0, &in);
  static unsigned char buffer[READ_BUFFER_BYTES];
  static char line[4096];
  size_t line_len = 0;
  struct epoll_event events[1024];
  for (;;) {
    int timeout = job.active && job.spread_ms ? 1 : 100;
    int n = epoll_wait(epoll_fd, events, 1024, timeout);
    for (int e = 0; e < n; e++) {
      if (events[e].data.u32 == UINT32_MAX) {
        ssize_t got = read(0, line + line_len, sizeof line - 1 - line_len);
        if (got <= 0) exit(0); // the parent is gone: never outlive it
        line_len += got;
        char *newline;
        while ((newline = memchr(line, '\n', line_len))) {
          *newline = 0;
          command(line);
          size_t used = (size_t)(newline - line) + 1;
          memmove(line, newline + 1, line_len - used);
          line_len -= used;
        }
        continue;
      }
      Viewer *v = &viewers[events[e].data.u32];
      if (v->closed) continue;
      if (!v->connected && (events[e].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int error = 0;
        socklen_t size = sizeof error;
        getsockopt(v->fd, SOL_SOCKET, SO_ERROR, &error, &size);
        if (error) {
          close_viewer(v);
          continue;
        }
        v->connected = 1;
        watch(v, EPOLLIN, EPOLL_CTL_MOD);
        char request[256];
        int len = snprintf(request, sizeof request,
                           "GET /live HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: " KEY "\r\nSec-WebSocket-Version: 13\r\n\r\n",
                           job.port);
        send_all(v, request, (size_t)len);
        continue;
      }
      if (v->stalled) continue;
      ssize_t got = read(v->fd, buffer, sizeof buffer);
      if (got > 0) on_data(v, buffer, (size_t)got);
      else if (got == 0 || (errno != EAGAIN && errno != EINTR)) close_viewer(v);
    }
    start_more();
    finish_connect_if_done();
  }
}
