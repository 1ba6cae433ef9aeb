// The relay's native viewer write (src/relay/viewers/rawFrameWrite.ts): one write(2) of a
// prebuilt frame buffer to a viewer's socket, with nothing in between. Through Node, each write
// also crosses the stream machinery (StreamBase, a WriteWrap, libuv's try-write), which costs the
// relay 1.5-2 us of user time per viewer per sweep against the bare syscall's 0.1 (docs/benchmarks.md,
// "Relay fan-out"). Built by scripts/buildNative.ts; when it is missing the relay writes through Node.
#define NAPI_VERSION 8
#include <errno.h>
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

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "writeFd", NAPI_AUTO_LENGTH, write_fd, NULL, &fn);
  napi_set_named_property(env, exports, "writeFd", fn);
  return exports;
}
