// A dozen lines of test harness, so the host tests need nothing but g++: TEST registers a case,
// CHECK records a failure with its line and carries on. testMain.cpp runs them all.
#pragma once
#include <cstdio>
#include <cstring>

namespace check {

using TestFn = void (*)();
struct TestCase {
  const char* name;
  TestFn fn;
  TestCase* next;
};
TestCase*& registry();
int& failures();
struct Register {
  Register(TestCase* test) {
    test->next = registry();
    registry() = test;
  }
};

}  // namespace check

#define TEST(name)                                                  \
  static void name();                                               \
  static check::TestCase name##_case{#name, name, nullptr};         \
  static check::Register name##_register{&name##_case};             \
  static void name()

#define CHECK(condition)                                                                \
  do {                                                                                  \
    if (!(condition)) {                                                                 \
      std::printf("  FAIL %s:%d: %s\n", __FILE__, __LINE__, #condition);                \
      check::failures()++;                                                              \
    }                                                                                   \
  } while (0)

#define CHECK_EQ(actual, expected)                                                                          \
  do {                                                                                                      \
    const auto a_ = (actual);                                                                               \
    const auto e_ = (expected);                                                                             \
    if (!(a_ == e_)) {                                                                                      \
      std::printf("  FAIL %s:%d: %s == %s (got %lld, want %lld)\n", __FILE__, __LINE__, #actual, #expected, \
                  static_cast<long long>(a_), static_cast<long long>(e_));                                  \
      check::failures()++;                                                                                  \
    }                                                                                                       \
  } while (0)

#define CHECK_STR(actual, length, expected)                                                                       \
  do {                                                                                                            \
    const std::string a_(actual, length);                                                                         \
    if (a_ != (expected)) {                                                                                       \
      std::printf("  FAIL %s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, a_.c_str(), std::string(expected).c_str()); \
      check::failures()++;                                                                                        \
    }                                                                                                             \
  } while (0)
