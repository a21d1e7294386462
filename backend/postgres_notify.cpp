#include "postgres_notify.hpp"

#include "postgres_conn.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <charconv>
#include <chrono>

namespace npsd::pg {

std::vector<Change> parse_changes(std::string_view p) {
  Change c;
  if (p == "t") {
    c.kind = Change::Kind::tokens;
    return {c};
  }
  if (p.size() > 2 && p.substr(0, 2) == "s ") {
    c.kind = Change::Kind::survey;
    c.survey_id = std::string(p.substr(2));
    return {c};
  }
  if (p.size() <= 2 || p.substr(0, 2) != "r ") return {};
  p.remove_prefix(2);
  const auto space = p.find(' ');
  if (space == std::string_view::npos || space + 1 >= p.size()) return {};
  c.kind = Change::Kind::response;
  c.survey_id = std::string(p.substr(space + 1));
  std::vector<Change> out;
  for (std::string_view ids = p.substr(0, space);;) {
    const auto comma = ids.find(',');
    const auto digits = ids.substr(0, comma);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), c.response_id);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || c.response_id <= 0)
      return {};
    out.push_back(c);
    if (comma == std::string_view::npos) return out;
    ids.remove_prefix(comma + 1);
  }
}

void announce_later(Conn& c, std::int64_t response_id, const std::string& survey_id) {
  c.later("SELECT pg_notify($1, $2)",
          Params().add(kChangeChannel).add("r " + std::to_string(response_id) + " " + survey_id));
}

Listener::Listener(std::string url, std::function<void(const Change&)> on_change)
    : url_(std::move(url)), on_change_(std::move(on_change)) {
  thread_ = std::thread([this] { run(); });
}

Listener::~Listener() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Listener::run() {
  using namespace std::chrono_literals;
  auto backoff = 100ms;
  while (!stop_) {
    PGconn* c = PQconnectdb(url_.c_str());
    bool listening = false;
    if (PQstatus(c) == CONNECTION_OK) {
      PGresult* r = PQexec(c, (std::string("LISTEN ") + kChangeChannel).c_str());
      listening = PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
    }
    if (listening) {
      backoff = 100ms;
      // Changes committed before LISTEN took effect were not seen: read everything again
      // (also on the first connection, which may come after the server's first read).
      on_change_(Change{});
      while (!stop_) {
        pollfd pfd{PQsocket(c), POLLIN, 0};
        const int n = poll(&pfd, 1, 250);
        if (n < 0 && errno != EINTR) break;
        if (n <= 0) continue;
        if (!PQconsumeInput(c)) break; // the connection is gone
        while (PGnotify* note = PQnotifies(c)) {
          for (const auto& change : parse_changes(note->extra))
            on_change_(change);
          PQfreemem(note);
        }
      }
    }
    PQfinish(c);
    // Lost or never made: try again, a little later each time, until stopped.
    for (auto waited = 0ms; !stop_ && waited < backoff; waited += 50ms)
      std::this_thread::sleep_for(50ms);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, 5000ms);
  }
}

} // namespace npsd::pg
