// The relay's native viewer write (src/relay/viewers/rawFrameWrite.ts): one write(2) of a prebuilt
// frame buffer to a viewer's socket, with nothing in between; and the fan-out's sweep over armed
// viewers (RollingFanOut), one call per chunk of viewers instead of one per viewer. Through Node,
// each write also crosses the stream machinery (StreamBase, a WriteWrap, libuv's try-write), which
// cost the relay 1.5-2 us of user time per viewer per sweep against the bare syscall's 0.1
// (docs/benchmarks.md, "Relay fan-out"). Built by scripts/buildNative.ts; when it is missing the
// relay writes through Node.
#define NAPI_VERSION 8
#include <errno.h>
#include <stdint.h>
#include <node_api.h>
#include <unistd.h>

/* BareWriter.sweep's out[0] when it stopped before writing to the viewer it stopped at. */
#define NOT_WRITTEN INT32_MIN

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
 *            out: Int32Array[2]): index
 *
 * For each viewer i from `start` until `end`: one that is up to date (sent[i] == head) is passed;
 * one that is armed (fds[i] >= 0) and at `from` gets `wire` (everything from `from` to `head`) in one
 * write(2), and sent[i] = head if the kernel took it whole. It stops at the first viewer it cannot
 * finish: not armed, at another position, or a write the kernel took only part of (or that failed).
 * Returns that index (`end` if none), with out[0] = bytes that write took or -errno (NOT_WRITTEN if
 * it stopped before writing) and out[1] = whole writes made.
 */
static napi_value sweep_write(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  int32_t start = 0, end = 0;
  double from = 0, head = 0;
  int32_t *fds = NULL, *out = NULL;
  double *sent = NULL;
  void *wire = NULL;
  size_t fds_length = 0, sent_length = 0, out_length = 0, wire_length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 8 || napi_get_value_int32(env, argv[2], &start) != napi_ok ||
      napi_get_value_int32(env, argv[3], &end) != napi_ok || napi_get_value_double(env, argv[4], &from) != napi_ok ||
      napi_get_value_double(env, argv[5], &head) != napi_ok || start < 0 || end < start ||
      !elements(env, argv[0], napi_int32_array, (void **)&fds, &fds_length) || fds_length < (size_t)end ||
      !elements(env, argv[1], napi_float64_array, (void **)&sent, &sent_length) || sent_length < (size_t)end ||
      !elements(env, argv[6], napi_uint8_array, &wire, &wire_length) ||
      !elements(env, argv[7], napi_int32_array, (void **)&out, &out_length) || out_length < 2) {
    napi_throw_type_error(env, NULL, "sweepWrite(fds: Int32Array, sent: Float64Array (both >= end long), start, end, from, head, wire: Uint8Array, out: Int32Array(2))");
    return NULL;
  }
  int32_t i = start, whole = 0;
  out[0] = NOT_WRITTEN;
  for (; i < end; i++) {
    if (fds[i] < 0 || (sent[i] != from && sent[i] != head)) break;
    if (sent[i] == head) continue;
    int32_t written = write_once(fds[i], wire, wire_length);
    if (written >= 0 && (size_t)written == wire_length) {
      sent[i] = head;
      whole++;
      continue;
    }
    out[0] = written;
    break;
  }
  out[1] = whole;
  napi_value result;
  napi_create_int32(env, i, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "writeFd", NAPI_AUTO_LENGTH, write_fd, NULL, &fn);
  napi_set_named_property(env, exports, "writeFd", fn);
  napi_create_function(env, "sweepWrite", NAPI_AUTO_LENGTH, sweep_write, NULL, &fn);
  napi_set_named_property(env, exports, "sweepWrite", fn);
  return exports;
}
