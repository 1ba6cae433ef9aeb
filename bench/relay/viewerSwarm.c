/*
 * The viewers' load generator for bench:relay, in C: thousands of /live viewers on bare sockets,
 * each a minimal websocket client (handshake, unmasked server frames, pong) that reads seq and t
 * straight from the bytes, exactly as viewerSwarm.ts does. Built by the bench with `gcc -O2`.
 *
 * Why a C twin of viewerSwarm.ts: on a 2-core host the Node generator spends about 8 us of its CPU
 * on each read (libuv, a JS callback, then the kernel's copy) and runs its core at 90-97 % at
 * 10,000 viewers, so the latency it reports grows with its own queue, not only with the server's
 * sweep, and a server that writes each viewer more often in thinner writes measures worse for it.
 * A viewer on a real network reads on its own machine. This generator reads every open viewer
 * through one io_uring (`--io-uring`, built with liburing: -DSWARM_IO_URING): a multishot receive
 * per socket into a shared pool of buffers, every completion collected in one io_uring_enter, so a
 * receive costs no system call of its own. Without the flag, without liburing or where io_uring is
 * refused, it reads with one read(2) per ready socket from a level-triggered epoll. Connecting and
 * the upgrade request always go through epoll. Both generators answer the same commands with the
 * same reports (bench/relay/generators.ts picks one: BENCH_GENERATOR=c|c-read|node).
 *
 * Commands, one per line on stdin (stdin closing ends the process: it never outlives the bench):
 *   connect <port> <count> <concurrency> <spreadMs> <localAddress>...
 *   reset | stall <fraction> | report | exit
 * Replies, one JSON object per line on stdout, shaped as viewerSwarm.ts's SwarmConnected /
 * SwarmReport / {"type":"reset"} / {"type":"stalled"}.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#ifdef SWARM_IO_URING
#include <liburing.h>
#endif

/* Same as latencyHistogram.ts. */
#define MAX_LATENCY_MS 60000
/* Every viewer's reads land in this one buffer, parsed before the next read (as viewerSwarm.ts). */
#define READ_BUFFER_BYTES (256 * 1024)
#define MAX_EVENTS 1024
#define MAX_LOCAL_ADDRESSES 16
#define COMMAND_LINE_MAX_BYTES 4096
#define STDIN_TAG UINT64_MAX
#define EPOLL_TAG (UINT64_MAX - 1)
#define CANCEL_TAG (UINT64_MAX - 2)

static const char KEY[] = "dGhlIHNhbXBsZSBub25jZQ==";
static const char STRIKE_PREFIX[] = "{\"type\":\"strike\",\"seq\":";
#define STRIKE_PREFIX_LEN (sizeof STRIKE_PREFIX - 1)

typedef struct {
  int fd;
  int index; /* in viewers[], the epoll tag */
  bool connecting; /* until the TCP connect completes and the upgrade request is sent */
  bool upgraded;
  bool open;
  bool greeted;
  bool stalled;
  bool closed;
  bool receiving_on_ring; /* a multishot receive is armed on the ring for it */
  long long last_seq;
  int close_code;
  /* Bytes of a frame (or the handshake) not yet complete, carried to the next read. */
  unsigned char *pending;
  size_t pending_len, pending_cap;
} viewer_t;

static struct {
  unsigned long long frames, reads, bytes, strikes, gaps;
  uint32_t latency[MAX_LATENCY_MS + 1];
  int latency_max;
} stats;

/* The connect command in progress (one at a time, as the bench sends them). */
static struct {
  bool active;
  int port, count, concurrency, started, in_flight, failed;
  double spread_ms, started_at;
  double *hello_at_ms;
  int hello_count;
  struct sockaddr_in local[MAX_LOCAL_ADDRESSES];
  int local_count;
} conn;

static viewer_t **viewers;
static int viewer_count, viewer_cap;
static int epoll_fd;
static unsigned char read_buffer[READ_BUFFER_BYTES];

#ifdef SWARM_IO_URING
/*
 * With --io-uring, an open viewer is read by a multishot receive on one ring instead of a read(2)
 * per ready socket: the kernel fills a buffer from a shared pool each time data arrives and the
 * generator collects every completion in one io_uring_enter, so a receive costs no system call of
 * its own. (The relay's side is the server's business; this is the instrument's: its reads are
 * cheaper, so it stays clear of saturating its core.)
 */
#define RING_ENTRIES 4096
#define RING_CQ_ENTRIES 65536
#define RECV_BUFFER_COUNT 8192 /* a power of two */
#define RECV_BUFFER_BYTES 4096
#define RECV_BUFFER_GROUP 0
static struct io_uring ring;
static bool use_ring;
static struct io_uring_buf_ring *recv_buffers;
static unsigned char *recv_memory;
#endif

static double monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The servers stamp strikes with Date.now(): wall-clock milliseconds. */
static long long wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void record_latency(long long ms) {
  int bucket = ms < 0 ? 0 : ms > MAX_LATENCY_MS ? MAX_LATENCY_MS : (int)ms;
  stats.latency[bucket]++;
  if (bucket > stats.latency_max) stats.latency_max = bucket;
}

static void start_next(void);

/* A storm's spread is holding the next connect back: the loop must look again within a millisecond. */
static bool spreading(void) { return conn.active && conn.started < conn.count && conn.in_flight < conn.concurrency; }
static void stop_receiving(viewer_t *v);
static void on_stdin(void);

static void check_connected(void) {
  if (!conn.active || conn.hello_count + conn.failed != conn.count) return;
  conn.active = false;
  printf("{\"type\":\"connected\",\"helloCount\":%d,\"failed\":%d,\"ms\":%.3f,\"helloAtMs\":[", conn.hello_count, conn.failed,
         monotonic_ms() - conn.started_at);
  for (int i = 0; i < conn.hello_count; i++) printf(i ? ",%.3f" : "%.3f", conn.hello_at_ms[i]);
  printf("]}\n");
  fflush(stdout);
  free(conn.hello_at_ms);
  conn.hello_at_ms = NULL;
}

static void on_hello(viewer_t *v) {
  v->greeted = true;
  if (!conn.active) return; /* a hello after its connect command was answered: nothing to count */
  conn.in_flight--;
  conn.hello_at_ms[conn.hello_count++] = monotonic_ms() - conn.started_at;
}

static void close_viewer(viewer_t *v) {
  if (v->closed) return;
  v->closed = true;
  v->open = false;
  epoll_ctl(epoll_fd, EPOLL_CTL_DEL, v->fd, NULL);
  stop_receiving(v);
  close(v->fd);
  free(v->pending);
  v->pending = NULL;
  v->pending_len = v->pending_cap = 0;
  if (!v->greeted && conn.active) {
    conn.in_flight--;
    conn.failed++;
  }
}

static void reserve_pending(viewer_t *v, size_t len) {
  if (len <= v->pending_cap) return;
  size_t cap = v->pending_cap ? v->pending_cap : 256;
  while (cap < len) cap *= 2;
  unsigned char *grown = realloc(v->pending, cap);
  if (!grown) {
    perror("viewerSwarm: realloc");
    exit(1);
  }
  v->pending = grown;
  v->pending_cap = cap;
}

/* `from` may point into v->pending itself (what is left of it after parsing). */
#ifdef SWARM_IO_URING
static struct io_uring_sqe *next_sqe(void) {
  struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
  if (!sqe) {
    io_uring_submit(&ring);
    sqe = io_uring_get_sqe(&ring);
  }
  return sqe;
}
#endif

/* A stalled or closing viewer's multishot receive is cancelled (its last completion is ignored). */
static void stop_receiving(viewer_t *v) {
#ifdef SWARM_IO_URING
  if (!use_ring || !v->receiving_on_ring) return;
  struct io_uring_sqe *sqe = next_sqe();
  io_uring_prep_cancel_fd(sqe, v->fd, 0);
  io_uring_sqe_set_data64(sqe, CANCEL_TAG);
  v->receiving_on_ring = false;
#else
  (void)v;
#endif
}

static void keep_pending(viewer_t *v, const unsigned char *from, size_t len) {
  reserve_pending(v, len);
  memmove(v->pending, from, len);
  v->pending_len = len;
}

static long long digits_forward(const unsigned char *p, const unsigned char *end) {
  long long n = 0;
  for (; p < end && *p >= '0' && *p <= '9'; p++) n = n * 10 + (*p - '0');
  return n;
}

/* The text frame at [from, to). */
static void on_text(viewer_t *v, const unsigned char *from, const unsigned char *to, long long now) {
  size_t length = (size_t)(to - from);
  if (length > STRIKE_PREFIX_LEN && memcmp(from, STRIKE_PREFIX, STRIKE_PREFIX_LEN) == 0) {
    long long seq = digits_forward(from + STRIKE_PREFIX_LEN, to);
    /* ...,"t":<digits>} : read t backwards from the closing brace. */
    long long t = 0, scale = 1;
    for (const unsigned char *p = to - 2; p > from && *p != ':'; p--, scale *= 10) t += (*p - '0') * scale;
    if (v->last_seq >= 0 && seq > v->last_seq + 1) stats.gaps += (unsigned long long)(seq - v->last_seq - 1);
    v->last_seq = seq;
    stats.strikes++;
    record_latency(now - t);
    return;
  }
  if (v->open) return;
  if (!memmem(from, length, "\"type\":\"hello\"", 14)) return;
  const unsigned char *seq = memmem(from, length, "\"seq\":", 6);
  v->open = true;
  v->last_seq = seq ? digits_forward(seq + 6, to) : -1;
  on_hello(v);
}

static void send_pong(viewer_t *v, const unsigned char *payload, size_t length) {
  /* Client frames must be masked; an all-zero mask key leaves the payload as it is. Ping payloads
     are at most 125 bytes (RFC 6455 5.5). */
  unsigned char frame[6 + 125];
  if (length > 125) length = 125;
  frame[0] = 0x8a;
  frame[1] = (unsigned char)(0x80 | length);
  memset(frame + 2, 0, 4);
  memcpy(frame + 6, payload, length);
  if (write(v->fd, frame, 6 + length) < 0 && errno != EAGAIN) close_viewer(v);
}

/* `length` bytes just read into `bytes` (a shared buffer: nothing may keep a pointer into it). */
static void on_data(viewer_t *v, unsigned char *bytes, size_t length) {
  stats.reads++;
  unsigned char *data = bytes;
  size_t end = length;
  if (v->pending_len) {
    end = v->pending_len + length;
    reserve_pending(v, end);
    memcpy(v->pending + v->pending_len, bytes, length);
    data = v->pending;
  }
  size_t offset = 0;
  if (!v->upgraded) {
    const unsigned char *head_end = memmem(data, end, "\r\n\r\n", 4);
    if (!head_end) {
      keep_pending(v, data, end);
      return;
    }
    if (end < 12 || memcmp(data, "HTTP/1.1 101", 12) != 0) {
      close_viewer(v);
      return;
    }
    v->upgraded = true;
    offset = (size_t)(head_end - data) + 4;
  }
  long long now = wall_ms();
  while (end - offset >= 2) {
    int opcode = data[offset] & 0x0f;
    uint64_t frame_length = data[offset + 1] & 0x7f;
    size_t header = 2;
    if (frame_length == 126) {
      if (end - offset < 4) break;
      frame_length = ((uint64_t)data[offset + 2] << 8) | data[offset + 3];
      header = 4;
    } else if (frame_length == 127) {
      if (end - offset < 10) break;
      frame_length = 0;
      for (int i = 0; i < 8; i++) frame_length = (frame_length << 8) | data[offset + 2 + i];
      header = 10;
    }
    if (end - offset < header + frame_length) break;
    const unsigned char *from = data + offset + header;
    const unsigned char *to = from + frame_length;
    offset += header + frame_length;
    stats.frames++;
    stats.bytes += header + frame_length;
    if (opcode == 0x1) on_text(v, from, to, now);
    else if (opcode == 0x9) send_pong(v, from, frame_length);
    else if (opcode == 0x8) v->close_code = frame_length >= 2 ? (from[0] << 8) | from[1] : 1005;
    if (v->closed) return;
  }
  if (offset < end) keep_pending(v, data + offset, end - offset);
  else v->pending_len = 0;
}

static void on_readable(viewer_t *v) {
  for (;;) {
    ssize_t n = read(v->fd, read_buffer, sizeof read_buffer);
    if (n > 0) {
      on_data(v, read_buffer, (size_t)n);
      if (v->closed || v->stalled || (size_t)n < sizeof read_buffer) return;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    close_viewer(v);
    return;
  }
}

#ifdef SWARM_IO_URING
static void arm_receive(viewer_t *v) {
  struct io_uring_sqe *sqe = next_sqe();
  io_uring_prep_recv_multishot(sqe, v->fd, NULL, 0, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = RECV_BUFFER_GROUP;
  io_uring_sqe_set_data64(sqe, (uint64_t)v->index);
  v->receiving_on_ring = true;
}

static void arm_poll(int fd, uint64_t tag) {
  struct io_uring_sqe *sqe = next_sqe();
  io_uring_prep_poll_multishot(sqe, fd, POLLIN);
  io_uring_sqe_set_data64(sqe, tag);
}

static bool setup_ring(void) {
  struct io_uring_params params = {.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
                                   .cq_entries = RING_CQ_ENTRIES};
  if (io_uring_queue_init_params(RING_ENTRIES, &ring, &params) < 0) return false;
  /* The pool of receive buffers (liburing 2.3 has no io_uring_setup_buf_ring): its ring must be
     page-aligned memory the kernel shares. */
  void *ring_memory = NULL;
  size_t ring_bytes = (size_t)RECV_BUFFER_COUNT * sizeof(struct io_uring_buf);
  recv_memory = malloc((size_t)RECV_BUFFER_COUNT * RECV_BUFFER_BYTES);
  if (posix_memalign(&ring_memory, (size_t)sysconf(_SC_PAGESIZE), ring_bytes) || !recv_memory) {
    io_uring_queue_exit(&ring);
    return false;
  }
  recv_buffers = ring_memory;
  io_uring_buf_ring_init(recv_buffers);
  struct io_uring_buf_reg registration = {.ring_addr = (uint64_t)(uintptr_t)ring_memory, .ring_entries = RECV_BUFFER_COUNT, .bgid = RECV_BUFFER_GROUP};
  if (io_uring_register_buf_ring(&ring, &registration, 0) < 0) {
    io_uring_queue_exit(&ring);
    return false;
  }
  for (int id = 0; id < RECV_BUFFER_COUNT; id++)
    io_uring_buf_ring_add(recv_buffers, recv_memory + (size_t)id * RECV_BUFFER_BYTES, RECV_BUFFER_BYTES, (unsigned short)id,
                          io_uring_buf_ring_mask(RECV_BUFFER_COUNT), id);
  io_uring_buf_ring_advance(recv_buffers, RECV_BUFFER_COUNT);
  return true;
}

static void on_epoll_ready(void);

/* The ring's loop: receives, plus stdin and the epoll set (connects) as multishot polls. */
static void run_ring(void) {
  arm_poll(STDIN_FILENO, STDIN_TAG);
  arm_poll(epoll_fd, EPOLL_TAG);
  for (;;) {
    struct io_uring_cqe *cqe;
    struct __kernel_timespec one_ms = {.tv_sec = 0, .tv_nsec = 1000000};
    int waited = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, spreading() ? &one_ms : NULL, NULL);
    if (waited < 0 && waited != -ETIME && waited != -EINTR) {
      fprintf(stderr, "viewerSwarm: io_uring wait: %s\n", strerror(-waited));
      exit(1);
    }
    unsigned head, seen = 0, returned = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      seen++;
      uint64_t tag = io_uring_cqe_get_data64(cqe);
      bool more = cqe->flags & IORING_CQE_F_MORE;
      if (tag == CANCEL_TAG) continue;
      if (tag == STDIN_TAG || tag == EPOLL_TAG) {
        if (!more) arm_poll(tag == STDIN_TAG ? STDIN_FILENO : epoll_fd, tag);
        if (tag == STDIN_TAG) on_stdin();
        else on_epoll_ready();
        continue;
      }
      if (tag >= (uint64_t)viewer_count) continue; /* a cancel's own completion */
      viewer_t *v = viewers[tag];
      if (cqe->flags & IORING_CQE_F_BUFFER) {
        unsigned id = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
        unsigned char *bytes = recv_memory + (size_t)id * RECV_BUFFER_BYTES;
        if (cqe->res > 0 && !v->closed && !v->stalled) on_data(v, bytes, (size_t)cqe->res);
        io_uring_buf_ring_add(recv_buffers, bytes, RECV_BUFFER_BYTES, (unsigned short)id, io_uring_buf_ring_mask(RECV_BUFFER_COUNT),
                              (int)returned++);
      }
      if (more || v->closed || v->stalled) continue;
      /* The receive ended: out of buffers (arm it again), or the connection is over. */
      if (cqe->res > 0 || cqe->res == -ENOBUFS) arm_receive(v);
      else close_viewer(v);
    }
    if (returned) io_uring_buf_ring_advance(recv_buffers, (int)returned);
    io_uring_cq_advance(&ring, seen);
    if (conn.active) start_next();
  }
}
#endif

static void on_connected(viewer_t *v) {
  int error = 0;
  socklen_t error_len = sizeof error;
  if (getsockopt(v->fd, SOL_SOCKET, SO_ERROR, &error, &error_len) < 0 || error) {
    close_viewer(v);
    return;
  }
  v->connecting = false;
  char request[256];
  int length = snprintf(request, sizeof request,
                        "GET /live HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                        conn.port, KEY);
  if (write(v->fd, request, (size_t)length) != length) {
    close_viewer(v);
    return;
  }
#ifdef SWARM_IO_URING
  if (use_ring) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, v->fd, NULL);
    arm_receive(v);
    return;
  }
#endif
  struct epoll_event event = {.events = EPOLLIN, .data.u64 = (uint64_t)v->index};
  epoll_ctl(epoll_fd, EPOLL_CTL_MOD, v->fd, &event);
}

static void connect_one(const struct sockaddr_in *local) {
  if (viewer_count == viewer_cap) {
    viewer_cap = viewer_cap ? viewer_cap * 2 : 1024;
    viewers = realloc(viewers, sizeof *viewers * (size_t)viewer_cap);
    if (!viewers) {
      perror("viewerSwarm: realloc");
      exit(1);
    }
  }
  viewer_t *v = calloc(1, sizeof *v);
  v->last_seq = -1;
  v->connecting = true;
  int index = viewer_count++;
  v->index = index;
  viewers[index] = v;
  conn.in_flight++;
  v->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  if (v->fd < 0) {
    v->closed = true;
    conn.in_flight--;
    conn.failed++;
    return;
  }
  setsockopt(v->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in server = {.sin_family = AF_INET, .sin_port = htons((uint16_t)conn.port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  struct epoll_event event = {.events = EPOLLOUT, .data.u64 = (uint64_t)index};
  if (bind(v->fd, (const struct sockaddr *)local, sizeof *local) < 0 ||
      (connect(v->fd, (struct sockaddr *)&server, sizeof server) < 0 && errno != EINPROGRESS) ||
      epoll_ctl(epoll_fd, EPOLL_CTL_ADD, v->fd, &event) < 0) {
    close_viewer(v);
  }
}

static void start_next(void) {
  while (conn.active && conn.in_flight < conn.concurrency && conn.started < conn.count) {
    /* With a spread, viewer i may not start before i * spread / count ms (a storm inside a window). */
    if (conn.spread_ms > 0 && monotonic_ms() - conn.started_at < conn.started * conn.spread_ms / conn.count) return;
    const struct sockaddr_in *local = &conn.local[conn.started % conn.local_count];
    conn.started++;
    connect_one(local);
  }
  check_connected();
}

static void report(void) {
  int open = 0;
  long long min = 0, max = 0;
  printf("{\"type\":\"report\",\"viewers\":%d", viewer_count);
  for (int i = 0; i < viewer_count; i++) {
    viewer_t *v = viewers[i];
    if (!v->open || v->stalled) continue;
    if (!open || v->last_seq < min) min = v->last_seq;
    if (!open || v->last_seq > max) max = v->last_seq;
    open++;
  }
  printf(",\"open\":%d,\"frames\":%llu,\"reads\":%llu,\"bytes\":%llu,\"strikes\":%llu,\"gaps\":%llu,\"closeCodes\":{", open, stats.frames,
         stats.reads, stats.bytes, stats.strikes, stats.gaps);
  /* Close codes: few distinct ones; count them by a small linear table. */
  int codes[16], counts[16], distinct = 0;
  for (int i = 0; i < viewer_count; i++) {
    int code = viewers[i]->close_code, k = 0;
    if (!code) continue;
    while (k < distinct && codes[k] != code) k++;
    if (k == distinct && distinct < 16) codes[distinct] = code, counts[distinct++] = 0;
    if (k < distinct) counts[k]++;
  }
  for (int k = 0; k < distinct; k++) printf(k ? ",\"%d\":%d" : "\"%d\":%d", codes[k], counts[k]);
  if (open) printf("},\"lastSeqs\":{\"min\":%lld,\"max\":%lld},\"latency\":[", min, max);
  else printf("},\"lastSeqs\":{\"min\":null,\"max\":null},\"latency\":[");
  bool first = true;
  for (int ms = 0; ms <= stats.latency_max; ms++) {
    if (!stats.latency[ms]) continue;
    printf(first ? "[%d,%u]" : ",[%d,%u]", ms, stats.latency[ms]);
    first = false;
  }
  printf("]}\n");
  fflush(stdout);
}

static void command(char *line) {
  char *words[4 + MAX_LOCAL_ADDRESSES];
  int count = 0;
  for (char *word = strtok(line, " "); word && count < (int)(sizeof words / sizeof *words); word = strtok(NULL, " ")) words[count++] = word;
  if (!count) return;
  if (!strcmp(words[0], "connect") && count >= 6) {
    conn = (typeof(conn)){0};
    conn.active = true;
    conn.port = atoi(words[1]);
    conn.count = atoi(words[2]);
    conn.concurrency = atoi(words[3]);
    conn.spread_ms = atof(words[4]);
    conn.started_at = monotonic_ms();
    conn.hello_at_ms = calloc((size_t)conn.count + 1, sizeof *conn.hello_at_ms);
    for (int i = 5; i < count && conn.local_count < MAX_LOCAL_ADDRESSES; i++) {
      struct sockaddr_in *local = &conn.local[conn.local_count++];
      local->sin_family = AF_INET;
      inet_pton(AF_INET, words[i], &local->sin_addr);
    }
    start_next();
  } else if (!strcmp(words[0], "reset")) {
    memset(&stats, 0, sizeof stats);
    printf("{\"type\":\"reset\"}\n");
    fflush(stdout);
  } else if (!strcmp(words[0], "stall") && count >= 2) {
    /* These viewers stop reading (slow phones) and leave the statistics. */
    int every = (int)(1 / atof(words[1]) + 0.5);
    for (int i = 0; i < viewer_count; i += every) {
      viewer_t *v = viewers[i];
      v->stalled = true;
      if (!v->closed) {
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, v->fd, NULL);
        stop_receiving(v);
      }
    }
    printf("{\"type\":\"stalled\"}\n");
    fflush(stdout);
  } else if (!strcmp(words[0], "report")) {
    report();
  } else if (!strcmp(words[0], "exit")) {
    exit(0);
  } else {
    fprintf(stderr, "viewerSwarm: unknown command: %s\n", words[0]);
  }
}

static void on_stdin(void) {
  static char line[COMMAND_LINE_MAX_BYTES];
  static size_t held;
  ssize_t n = read(STDIN_FILENO, line + held, sizeof line - 1 - held);
  if (n == 0) exit(0); /* the bench has gone */
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return;
    exit(0);
  }
  held += (size_t)n;
  char *start = line;
  for (char *newline; (newline = memchr(start, '\n', held - (size_t)(start - line))); start = newline + 1) {
    *newline = 0;
    command(start);
  }
  held -= (size_t)(start - line);
  memmove(line, start, held);
  if (held == sizeof line - 1) held = 0; /* an over-long line: dropped */
}

/* One epoll_wait: connects completing, and (without the ring) readable viewers and stdin. */
static int wait_epoll(int timeout_ms) {
  struct epoll_event events[MAX_EVENTS];
  int n = epoll_wait(epoll_fd, events, MAX_EVENTS, timeout_ms);
  for (int i = 0; i < n; i++) {
    if (events[i].data.u64 == STDIN_TAG) {
      on_stdin();
      continue;
    }
    viewer_t *v = viewers[events[i].data.u64];
    if (v->closed) continue;
    if (v->connecting) on_connected(v);
    else on_readable(v);
  }
  return n;
}

#ifdef SWARM_IO_URING
/* Drains the epoll set: its multishot poll fires on a new event, not on events left unread. */
static void on_epoll_ready(void) {
  while (wait_epoll(0) == MAX_EVENTS) continue;
}
#endif

int main(int argc, char **argv) {
  /* 10,000 sockets per process: lift the soft descriptor limit to the hard one (Node does too). */
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  epoll_fd = epoll_create1(0);
  fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
#ifdef SWARM_IO_URING
  use_ring = argc > 1 && !strcmp(argv[1], "--io-uring") && setup_ring();
  if (argc > 1 && !use_ring) fprintf(stderr, "viewerSwarm: io_uring unavailable, reading with read(2)\n");
  if (use_ring) run_ring();
#else
  (void)argv;
  if (argc > 1) fprintf(stderr, "viewerSwarm: built without liburing, reading with read(2)\n");
#endif
  struct epoll_event stdin_event = {.events = EPOLLIN, .data.u64 = STDIN_TAG};
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, STDIN_FILENO, &stdin_event);
  for (;;) {
    wait_epoll(spreading() ? 1 : -1);
    if (conn.active) start_next();
  }
}
