// The relay's native viewer write (src/relay/viewers/rawFrameWrite.ts): one write(2) of a prebuilt
// frame buffer to a viewer's socket, with nothing in between; and the fan-out's sweep over armed
// viewers (RollingFanOut), one call per chunk of viewers instead of one per viewer. Through Node,
// each write also crosses the stream machinery (StreamBase, a WriteWrap, libuv's try-write), which
// cost the relay 1.5-2 us of user time per viewer per sweep against the bare syscall's 0.1
// (docs/benchmarks.md, "Relay fan-out"). Built by scripts/buildNative.ts; when it is missing the
// relay writes through Node.
//
// With liburing (Debian's liburing-dev) the sweep hands the kernel a chunk's sends in one
// io_uring_enter(2) instead of one write(2) each: every system call costs about 1 us on a host with
// page-table isolation (a null syscall, measured), a sixth of a loopback write; and the kernel
// sends a batch for less than the same sends one by one (docs/benchmarks.md). Each send is
// MSG_DONTWAIT, so a viewer whose socket is full completes at once with what the kernel took, as
// write(2) does. Without liburing, or where io_uring_setup(2) is refused (a seccomp filter, a
// kernel without it), or with AEOLIAN_IO_URING=0, the sweep writes with write(2).
#define NAPI_VERSION 8
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>
#include <unistd.h>
#if !defined(AEOLIAN_NO_IO_URING) && __has_include(<liburing.h>)
#include <liburing.h>
#include <sys/socket.h>
#define HAVE_IO_URING 1
#endif

/* Submission queue entries: a fan-out chunk (FAN_OUT_CHUNK_VIEWERS, 500) goes in one submission. */
#define RING_ENTRIES 512

/* Per Node environment (the main thread, or a worker): its ring, if it has one. */
typedef struct {
#ifdef HAVE_IO_URING
  struct io_uring ring;
#endif
  bool ring_ready;
  bool ring_enabled;
  double ring_sends;
} Instance;

/* A typed array of `type`: its elements and how many there are. False if `value` is not one. */
static bool elements(napi_env env, napi_value value, napi_typedarray_type type, void **data, size_t *length) {
  bool is_typed = false;
  napi_typedarray_type actual;
  return napi_is_typedarray(env, value, &is_typed) == napi_ok && is_typed &&
         napi_get_typedarray_info(env, value, &actual, length, data, NULL, NULL) == napi_ok && actual == type;
}

/* One write(2), retried if a signal interrupts it: bytes the kernel took, or -errno. */
static int32_t write_once(int fd, const void *data, size_t length) {
  ssize_t written;
  do {
    written = write(fd, data, length);
  } while (written < 0 && errno == EINTR);
  return written < 0 ? -errno : (int32_t)written;
}

/* writeFd(fd: number, data: Buffer | Uint8Array): bytes the kernel took (>= 0) or -errno. */
static napi_value write_fd(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd = -1;
  void *data = NULL;
  size_t length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      !elements(env, argv[1], napi_uint8_array, &data, &length)) {
    napi_throw_type_error(env, NULL, "writeFd(fd, bytes): a descriptor and a Uint8Array");
    return NULL;
  }
  napi_value result;
  napi_create_int32(env, write_once(fd, data, length), &result);
  return result;
}

/*
 * sweepWrite(fds: Int32Array, sent: Float64Array, start, end, from, head, wire: Uint8Array,
 *            out: Int32Array): index
 *
 * For each viewer i from `start`: one that is up to date (sent[i] == head) is passed; one that is
 * armed (fds[i] >= 0) and at `from` gets `wire` (everything from `from` to `head`) in one send, and
 * sent[i] = head if the kernel took it whole. It stops at `end` or at the first viewer that is
 * neither (not armed, or at another position) and returns that index. out[0] = whole sends,
 * out[1] = k sends the kernel took only part of or refused, and out[2 + 2j], out[3 + 2j] = the index
 * and the bytes taken (or -errno) of each of those, whose sent[] it leaves as it was. `out` holds at
 * least 2 + 2 * (end - start) numbers.
 */
typedef struct {
  int32_t *fds, *out;
  double *sent, from, head;
  const void *wire;
  size_t wire_length;
  int32_t whole, short_count;
} Sweep;

static void sent_whole_or_short(Sweep *sweep, int32_t i, int32_t taken) {
  if (taken >= 0 && (size_t)taken == sweep->wire_length) {
    sweep->sent[i] = sweep->head;
    sweep->whole++;
    return;
  }
  sweep->out[2 + 2 * sweep->short_count] = i;
  sweep->out[3 + 2 * sweep->short_count] = taken;
  sweep->short_count++;
}

/* Whether viewer i is one the sweep passes or writes (else it stops there). */
static inline bool sweepable(const Sweep *sweep, int32_t i) {
  return sweep->fds[i] >= 0 && (sweep->sent[i] == sweep->from || sweep->sent[i] == sweep->head);
}

static int32_t sweep_by_write(Sweep *sweep, int32_t i, int32_t end) {
  for (; i < end && sweepable(sweep, i); i++) {
    if (sweep->sent[i] == sweep->head) continue;
    sent_whole_or_short(sweep, i, write_once(sweep->fds[i], sweep->wire, sweep->wire_length));
  }
  return i;
}

#ifdef HAVE_IO_URING
/* The viewers of one submission, by their place in it (each send's user data). */
typedef struct {
  int32_t index[RING_ENTRIES];
  bool reaped[RING_ENTRIES];
  unsigned queued;
} Batch;

/*
 * Gives up the ring after it failed (it never has here): the sweep writes with write(2) from now on.
 * The batch's viewers it has no answer for are reported short: with 0 bytes taken if they were never
 * submitted (their owners write the whole wire), else -EIO (sent or not, their streams can no longer
 * be trusted: their sockets are closed and the viewers reconnect and resume from their last strike).
 */
static void abandon_ring(Instance *instance, Sweep *sweep, const Batch *batch, bool submitted) {
  for (unsigned slot = 0; slot < batch->queued; slot++)
    if (!batch->reaped[slot]) sent_whole_or_short(sweep, batch->index[slot], submitted ? -EIO : 0);
  io_uring_queue_exit(&instance->ring);
  instance->ring_ready = false;
}

/* Submits the batch's sends in one io_uring_enter(2) and reaps every completion. */
static void submit_and_reap(Instance *instance, Sweep *sweep, Batch *batch) {
  int submitted;
  do {
    submitted = io_uring_submit_and_wait(&instance->ring, batch->queued);
  } while (submitted == -EINTR);
  if (submitted < 0) return abandon_ring(instance, sweep, batch, false);
  // A ring set up without IORING_SETUP_SUBMIT_ALL (kernels before 5.18) stops submitting at a send
  // it cannot even start; those after it would wait in the ring for the next submission. Only the
  // submitted ones are waited for, and then the ring is given up.
  unsigned taken = (unsigned)submitted < batch->queued ? (unsigned)submitted : batch->queued;
  instance->ring_sends += taken;
  for (unsigned reaped = 0; reaped < taken; reaped++) {
    struct io_uring_cqe *cqe;
    int waited;
    do {
      waited = io_uring_wait_cqe(&instance->ring, &cqe);
    } while (waited == -EINTR);
    if (waited < 0) return abandon_ring(instance, sweep, batch, true);
    uint64_t slot = io_uring_cqe_get_data64(cqe);
    batch->reaped[slot] = true;
    sent_whole_or_short(sweep, batch->index[slot], cqe->res);
    io_uring_cqe_seen(&instance->ring, cqe);
  }
  if (taken < batch->queued) abandon_ring(instance, sweep, batch, false); // the rest were never sent
}

static int32_t sweep_by_ring(Instance *instance, Sweep *sweep, int32_t i, int32_t end) {
  Batch batch;
  do {
    batch.queued = 0;
    for (; i < end && batch.queued < RING_ENTRIES && sweepable(sweep, i); i++) {
      if (sweep->sent[i] == sweep->head) continue;
      struct io_uring_sqe *sqe = io_uring_get_sqe(&instance->ring);
      io_uring_prep_send(sqe, sweep->fds[i], sweep->wire, sweep->wire_length, MSG_DONTWAIT | MSG_NOSIGNAL);
      io_uring_sqe_set_data64(sqe, batch.queued);
      batch.index[batch.queued] = i;
      batch.reaped[batch.queued++] = false;
    }
    if (batch.queued > 0) submit_and_reap(instance, sweep, &batch);
  } while (batch.queued == RING_ENTRIES && instance->ring_ready);
  return instance->ring_ready ? i : sweep_by_write(sweep, i, end);
}
#endif

static napi_value sweep_write(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  int32_t start = 0, end = 0;
  Sweep sweep = {0};
  size_t fds_length = 0, sent_length = 0, out_length = 0;
  void *wire = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 8 || napi_get_value_int32(env, argv[2], &start) != napi_ok ||
      napi_get_value_int32(env, argv[3], &end) != napi_ok || napi_get_value_double(env, argv[4], &sweep.from) != napi_ok ||
      napi_get_value_double(env, argv[5], &sweep.head) != napi_ok || start < 0 || end < start ||
      !elements(env, argv[0], napi_int32_array, (void **)&sweep.fds, &fds_length) || fds_length < (size_t)end ||
      !elements(env, argv[1], napi_float64_array, (void **)&sweep.sent, &sent_length) || sent_length < (size_t)end ||
      !elements(env, argv[6], napi_uint8_array, &wire, &sweep.wire_length) ||
      !elements(env, argv[7], napi_int32_array, (void **)&sweep.out, &out_length) || out_length < 2 + 2 * (size_t)(end - start)) {
    napi_throw_type_error(env, NULL,
                          "sweepWrite(fds: Int32Array, sent: Float64Array (both >= end long), start, end, from, head, wire: Uint8Array, out: Int32Array(2 + 2 * (end - start)))");
    return NULL;
  }
  sweep.wire = wire;
  Instance *instance = NULL;
  napi_get_instance_data(env, (void **)&instance);
  int32_t stopped;
#ifdef HAVE_IO_URING
  if (instance != NULL && instance->ring_ready && instance->ring_enabled)
    stopped = sweep_by_ring(instance, &sweep, start, end);
  else
#endif
    stopped = sweep_by_write(&sweep, start, end);
  sweep.out[0] = sweep.whole;
  sweep.out[1] = sweep.short_count;
  napi_value result;
  napi_create_int32(env, stopped, &result);
  return result;
}

/*
 * ring(enable?: boolean): { available, enabled, sends } — whether this environment has an io_uring
 * for the sweep, whether the sweep uses it (`enable` switches that, for tests), and how many sends
 * it has submitted through it (the relay's write syscalls no longer count them: see the bench).
 */
static napi_value ring_state(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Instance *instance = NULL;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_instance_data(env, (void **)&instance);
  bool enable = false;
  if (argc >= 1 && instance != NULL && napi_get_value_bool(env, argv[0], &enable) == napi_ok) instance->ring_enabled = enable;
  napi_value result, available, enabled, sends;
  napi_create_object(env, &result);
  napi_get_boolean(env, instance != NULL && instance->ring_ready, &available);
  napi_get_boolean(env, instance != NULL && instance->ring_ready && instance->ring_enabled, &enabled);
  napi_create_double(env, instance == NULL ? 0 : instance->ring_sends, &sends);
  napi_set_named_property(env, result, "available", available);
  napi_set_named_property(env, result, "enabled", enabled);
  napi_set_named_property(env, result, "sends", sends);
  return result;
}

static void finalize_instance(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Instance *instance = data;
#ifdef HAVE_IO_URING
  if (instance->ring_ready) io_uring_queue_exit(&instance->ring);
#endif
  free(instance);
}

static Instance *new_instance(void) {
  Instance *instance = calloc(1, sizeof *instance);
  if (instance == NULL) return NULL;
  const char *wanted = getenv("AEOLIAN_IO_URING");
  instance->ring_enabled = wanted == NULL || strcmp(wanted, "0") != 0;
#ifdef HAVE_IO_URING
  // SUBMIT_ALL: a send the kernel refuses before starting it (never seen) does not hold back the
  // rest of its submission. Kernels before 5.18 lack it: then without (see submit_and_reap).
  instance->ring_ready = instance->ring_enabled && (io_uring_queue_init(RING_ENTRIES, &instance->ring, IORING_SETUP_SUBMIT_ALL) == 0 ||
                                                    io_uring_queue_init(RING_ENTRIES, &instance->ring, 0) == 0);
#endif
  return instance;
}

NAPI_MODULE_INIT() {
  Instance *instance = new_instance();
  if (instance != NULL) napi_set_instance_data(env, instance, finalize_instance, NULL);
  napi_value fn;
  napi_create_function(env, "writeFd", NAPI_AUTO_LENGTH, write_fd, NULL, &fn);
  napi_set_named_property(env, exports, "writeFd", fn);
  napi_create_function(env, "sweepWrite", NAPI_AUTO_LENGTH, sweep_write, NULL, &fn);
  napi_set_named_property(env, exports, "sweepWrite", fn);
  napi_create_function(env, "ring", NAPI_AUTO_LENGTH, ring_state, NULL, &fn);
  napi_set_named_property(env, exports, "ring", fn);
  return exports;
}
