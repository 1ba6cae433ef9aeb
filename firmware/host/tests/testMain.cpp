// Runs every TEST; prints one line per case and exits non-zero on any failure.
#include <string>
#include "check.h"

namespace check {
TestCase*& registry() {
  static TestCase* head = nullptr;
  return head;
}
int& failures() {
  static int count = 0;
  return count;
}
}  // namespace check

int main(int argc, char** argv) {
  int cases = 0;
  for (check::TestCase* test = check::registry(); test != nullptr; test = test->next) {
    if (argc > 1 && std::string(test->name).find(argv[1]) == std::string::npos) continue;
    const int before = check::failures();
    test->fn();
    std::printf("%s %s\n", check::failures() == before ? "ok  " : "FAIL", test->name);
    cases++;
  }
  std::printf("%d cases, %d failed checks\n", cases, check::failures());
  return check::failures() == 0 && cases > 0 ? 0 : 1;
}
