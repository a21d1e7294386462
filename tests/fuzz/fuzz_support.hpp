// Shared by the libFuzzer targets in this folder: how a target reports a broken promise.
// A sanitizer report or a crash is a finding by itself; fail() turns a violated invariant
// (two readers that disagree, a value that does not read back) into one too, with the
// input shown, so libFuzzer saves the input as crash-<sha1> for the lead to replay.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace nps::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The text with bytes outside printable ASCII as \xNN, cut at 600 characters.
inline std::string shown(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += ch;
    } else {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02X", c);
      out += b;
    }
    if (out.size() > 600) return out + "...";
  }
  return out;
}

[[noreturn]] inline void fail(std::string_view what, std::string_view input, std::string_view detail = {}) {
  std::fprintf(stderr, "\nFUZZ INVARIANT BROKEN: %.*s\n  input:  %s\n", static_cast<int>(what.size()),
               what.data(), shown(input).c_str());
  if (!detail.empty()) std::fprintf(stderr, "  detail: %s\n", shown(detail).c_str());
  std::abort();
}

} // namespace nps::fuzz
