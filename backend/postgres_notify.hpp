// The PostgreSQL engine's change feed: one connection that LISTENs on the channel the
// schema's triggers NOTIFY (migration 2, postgres_schema.cpp), read by a thread of its own.
// A notification is delivered only after the transaction that sent it commits, so a change
// is never announced before it can be read. When the connection is lost, the listener
// reconnects (backing off up to 5 s); after every LISTEN (the first one too) it reports
// Change::Kind::resync, since whatever was sent before it listened is lost: the server reads
// everything again.
#pragma once

#include "storage.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace npsd::pg {

inline constexpr const char* kChangeChannel = "npsd_changes";

// The payloads the triggers send: "s <survey>", "r <response ids> <survey>" (one id, or
// several separated by commas: the answers one statement stored), "t". One change per
// answer; none for a payload not in these forms.
[[nodiscard]] std::vector<Change> parse_changes(std::string_view payload);

class Conn;
// An answer changed (a follow-up's comment, answers or score) in `c`'s open transaction:
// announced like a new one ("r <id> <survey>"), once the transaction commits. Sent by npsd
// rather than by a trigger on every UPDATE, which would also fire for retention and
// anonymisation (no live event) and, under Citus, on the workers (docs/scaling.md).
void announce_later(Conn& c, std::int64_t response_id, const std::string& survey_id);

class Listener {
public:
  Listener(std::string url, std::function<void(const Change&)> on_change);
  ~Listener(); // stops the thread within about half a second
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

private:
  void run();
  std::string url_;
  std::function<void(const Change&)> on_change_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

} // namespace npsd::pg
