// The relay's native viewer write (src/relay/viewers/rawFrameWrite.ts): one write(2) of a
// prebuilt frame buffer to a viewer's socket, with nothing in between; and the fan-out's sweep
// over armed viewers (RollingFanOut), one call per chunk of viewers instead of one per viewer. Through Node, each write
// also crosses the stream machinery (StreamBase, a WriteWrap, libuv's try-write), which costs the
// relay 1.5-2 us of user time per viewer per sweep against the bare syscall's 0.1 (docs/benchmarks.md,
// "Relay fan-out"). Built by scripts/buildNative.ts; when it is missing the relay writes through Node.
#define NAPI_VERSION 8
#include <errno.h>
#include <stdint.h>
#include <node_api.h>
#include <unistd.h>

/* writeFd(fd: number, data: Buffer | Uint8Array): bytes the kernel took (>= 0) or -errno. */
static napi_value write_fd(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd = -1;
  void *data = NULL;
  size_t length = 0;
  bool is_typed = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      napi_is_typedarray(env, argv[1], &is_typed) != napi_ok || !is_typed) {
    napi_throw_type_error(env, NULL, "writeFd(fd, bytes): a descriptor and a Buffer");
    return NULL;
  }
  napi_typedarray_type type;
  napi_value array_buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, argv[1], &type, &length, &data, &array_buffer, &offset) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "writeFd(fd, bytes): bytes must be a Uint8Array");
    return NULL;
  }
  ssize_t written;
  do {
    written = write(fd, data, length);
  } while (written < 0 && errno == EINTR);
  napi_value result;
  napi_create_int32(env, written < 0 ? -errno : (int32_t)written, &result);
  return result;
}

/* The typed array's elements, if it is one of `type` with at least `min_length` of them. */
static void *elements(napi_env env, napi_value value, napi_typedarray_type type, size_t min_length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return NULL;
  napi_typedarray_type actual;
  size_t length = 0;
  void *data = NULL;
  if (napi_get_typedarray_info(env, value, &actual, &length, &data, NULL, NULL) != napi_ok || actual != type || length < min_length) return NULL;
  return data;
}

/*
 * sweepWrite(fds: Int32Array, sent: Float64Array, start, end, from, head, wire: Uint8Array,
 *            out: Int32Array[2]): index
 *
 * For each viewer i from `start` until `end`: one that is up to date (sent[i] == head) is passed;
 * one that is armed (fds[i] >= 0) and at `from` gets `wire` (everything from `from` to `head`) in one
 * write(2), and sent[i] = head if the kernel took it whole. It stops at the first viewer it cannot
 * finish: not armed, at another position, or a write the kernel took only part of (or that failed).
 * Returns that index (`end` if none), with out[0] = bytes that write took or -errno (INT32_MIN if it
 * stopped before writing) and out[1] = whole writes made.
 */
#define NOT_WRITTEN INT32_MIN
static napi_value sweep_write(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  int32_t start = 0, end = 0;
  double from = 0, head = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 8 || napi_get_value_int32(env, argv[2], &start) != napi_ok ||
      napi_get_value_int32(env, argv[3], &end) != napi_ok || napi_get_value_double(env, argv[4], &from) != napi_ok ||
      napi_get_value_double(env, argv[5], &head) != napi_ok || start < 0 || end < start) {
    napi_throw_type_error(env, NULL, "sweepWrite(fds, sent, start, end, from, head, wire, out)");
    return NULL;
  }
  const int32_t *fds = elements(env, argv[0], napi_int32_array, (size_t)end);
  double *sent = elements(env, argv[1], napi_float64_array, (size_t)end);
  int32_t *out = elements(env, argv[7], napi_int32_array, 2);
  void *wire = NULL;
  size_t wire_length = 0;
  napi_typedarray_type wire_type;
  bool is_typed = false;
  if (!fds || !sent || !out || napi_is_typedarray(env, argv[6], &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, argv[6], &wire_type, &wire_length, &wire, NULL, NULL) != napi_ok || wire_type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "sweepWrite: fds Int32Array, sent Float64Array (both >= end long), wire Uint8Array, out Int32Array(2)");
    return NULL;
  }
  int32_t i = start, whole = 0;
  out[0] = NOT_WRITTEN;
  for (; i < end; i++) {
    if (fds[i] < 0 || (sent[i] != from && sent[i] != head)) break;
    if (sent[i] == head) continue;
    ssize_t written;
    do {
      written = write(fds[i], wire, wire_length);
    } while (written < 0 && errno == EINTR);
    if (written == (ssize_t)wire_length) {
      sent[i] = head;
      whole++;
      continue;
    }
    out[0] = written < 0 ? -errno : (int32_t)written;
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
