// Sign-in rate limits, kept in memory only (npsd stores no IP address): failed sign-ins are
// counted per client address and per (credential, client) in a sliding window. A client
// over either limit is refused before its credential is checked; nobody's failures count
// against another client, so no one can lock someone else out, and a correct credential
// from a client within its limits always signs in.
#pragma once

#include "storage.hpp"

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace npsd {

struct LoginLimits {
  std::size_t per_credential = 5; // failures per credential (an e-mail, a token) from one client
  std::size_t per_client = 20;    // failures per client address, whatever the credentials
  Millis window = 60'000;
  std::size_t max_keys = 100'000; // beyond, expired entries are dropped, then all
};

class LoginLimiter {
public:
  explicit LoginLimiter(LoginLimits limits = {}) : limits_(limits) {}

  // Zero when `client` may try `credential` now; otherwise the milliseconds until it may.
  [[nodiscard]] Millis wait(const std::string& client, const std::string& credential, Millis now);
  // Records a failed attempt.
  void failed(const std::string& client, const std::string& credential, Millis now);

private:
  using Window = std::deque<Millis>;
  void prune(Window& w, Millis now) const;
  void bound_memory(Millis now);

  LoginLimits limits_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> clients_, pairs_;
};

} // namespace npsd
