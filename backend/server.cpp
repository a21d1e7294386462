// npsd's routes.
//
// Sections: errors · metrics and logs · dates · survey cache · the server (routing helper,
// auth, CORS) · public endpoints · admin: surveys, tokens, responses, export, analytics,
// privacy · make_server
#include "server.hpp"

#include "auth.hpp"
#include "nps/json.hpp"
#include "nps/response.hpp"
#include "nps/score.hpp"
#include "nps/survey.hpp"
#include "nps/tally.hpp"
#include "nps/text.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <shared_mutex>
#include <sstream>
#include <unordered_map>

namespace npsd {

namespace {

using nps::json;
using Clock = std::chrono::steady_clock;

// ---- errors ----------------------------------------------------------------------------

struct ApiError {
  std::string code;
  std::string path;
  std::string message;
};

// The one table from error code to HTTP status.
int status_for(std::string_view code) {
  static const std::unordered_map<std::string_view, int> table = {
      {"parse_error", 400},
      {"invalid_utf8", 400},
      {"invalid_type", 400},
      {"out_of_range", 400},
      {"not_integer", 400},
      {"required", 400},
      {"empty", 400},
      {"too_long", 400},
      {"too_many", 400},
      {"invalid_format", 400},
      {"invalid_value", 400},
      {"unknown_field", 400},
      {"no_data", 400},
      {"bad_request", 400},
      {"unauthorized", 401},
      {"forbidden", 403},
      {"origin_not_allowed", 403},
      {"not_found", 404},
      {"method_not_allowed", 405},
      {"timeout", 408},
      {"duplicate", 409},
      {"archived", 410},
      {"payload_too_large", 413},
      {"uri_too_long", 414},
      {"unsupported_media_type", 415},
      {"daily_cap_reached", 429},
      {"rate_limited", 429},
      {"internal", 500},
      {"unavailable", 503},
  };
  auto it = table.find(code);
  return it == table.end() ? 500 : it->second;
}

json error_json(const ApiError& e) {
  return json{{"code", e.code}, {"path", e.path}, {"message", e.message}};
}

void send_errors(httplib::Response& res, const std::vector<ApiError>& errors) {
  json all = json::array();
  for (const auto& e : errors)
    all.push_back(error_json(e));
  res.status = status_for(errors.front().code);
  res.set_content(nps::dump(json{{"error", error_json(errors.front())}, {"errors", all}}),
                  "application/json");
}
void send_error(httplib::Response& res, std::string code, std::string path, std::string message) {
  send_errors(res, {ApiError{std::move(code), std::move(path), std::move(message)}});
}
void send_core_errors(httplib::Response& res, const nps::Errors& errors, std::string_view path_prefix = "") {
  std::vector<ApiError> out;
  for (const auto& e : errors)
    out.push_back(ApiError{std::string(nps::to_string(e.code)),
                           path_prefix.empty() ? e.path : nps::join_path(path_prefix, e.path), e.message});
  send_errors(res, out);
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(nps::dump(body), "application/json");
}

// ---- metrics and logs ------------------------------------------------------------------

thread_local std::string t_route;
thread_local std::string t_request_id;

class Metrics {
public:
  static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  static constexpr std::size_t kN = std::size(kBuckets);

  void observe(const std::string& route, const std::string& method, int status, double seconds) {
    std::lock_guard lock(mu_);
    requests_[route + "\t" + method + "\t" + std::to_string(status)]++;
    auto& h = latency_[route];
    for (std::size_t i = 0; i < kN; ++i)
      if (seconds <= kBuckets[i]) h.buckets[i]++;
    h.count++;
    h.sum += seconds;
  }

  std::atomic<std::uint64_t> stored{0}, duplicates{0}, capped{0};

  std::string render(std::size_t queue_depth, std::size_t open_connections, std::uint64_t refused) const {
    std::ostringstream o;
    std::lock_guard lock(mu_);
    o << "# HELP npsd_requests_total HTTP requests by route, method and status.\n"
         "# TYPE npsd_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto a = key.find('\t'), b = key.rfind('\t');
      o << "npsd_requests_total{route=\"" << key.substr(0, a) << "\",method=\""
        << key.substr(a + 1, b - a - 1) << "\",status=\"" << key.substr(b + 1) << "\"} " << n << "\n";
    }
    o << "# HELP npsd_request_duration_seconds Time from a request's first byte to its response.\n"
         "# TYPE npsd_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      for (std::size_t i = 0; i < kN; ++i)
        o << "npsd_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[i] << "\"} "
          << h.buckets[i] << "\n";
      o << "npsd_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n";
      o << "npsd_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n";
      o << "npsd_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
    }
    o << "# HELP npsd_responses_stored_total Survey responses stored (201).\n"
         "# TYPE npsd_responses_stored_total counter\nnpsd_responses_stored_total "
      << stored.load() << "\n";
    o << "# HELP npsd_responses_duplicate_total Retries answered with the original response.\n"
         "# TYPE npsd_responses_duplicate_total counter\nnpsd_responses_duplicate_total "
      << duplicates.load() << "\n";
    o << "# HELP npsd_responses_capped_total Responses refused by a survey's daily cap.\n"
         "# TYPE npsd_responses_capped_total counter\nnpsd_responses_capped_total "
      << capped.load() << "\n";
    o << "# HELP npsd_write_queue_depth Writes waiting for the storage writer.\n"
         "# TYPE npsd_write_queue_depth gauge\nnpsd_write_queue_depth "
      << queue_depth << "\n";
    o << "# HELP npsd_open_connections Connections being served.\n"
         "# TYPE npsd_open_connections gauge\nnpsd_open_connections "
      << open_connections << "\n";
    o << "# HELP npsd_refused_connections_total Connections refused because every worker was busy.\n"
         "# TYPE npsd_refused_connections_total counter\nnpsd_refused_connections_total "
      << refused << "\n";
    return o.str();
  }

private:
  struct Histogram {
    std::uint64_t buckets[kN] = {};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

std::mutex g_log_mu;
void log_line(const json& j) {
  const std::string line = nps::dump(j) + "\n";
  std::lock_guard lock(g_log_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

// ---- dates -----------------------------------------------------------------------------

// Days since 1970-01-01 from a civil date and back (H. Hinnant's algorithms).
std::int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}
struct Civil {
  int y;
  unsigned m, d;
};
Civil civil_from_days(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}
std::string date_text(std::int32_t day) {
  const auto c = civil_from_days(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
  return buf;
}
std::string iso_time(Millis t) {
  const auto day = day_of(t);
  const Millis in_day = t - static_cast<Millis>(day) * 86'400'000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", date_text(day).c_str(),
                static_cast<int>(in_day / 3'600'000), static_cast<int>(in_day / 60'000 % 60),
                static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000));
  return buf;
}
// "YYYY-MM-DD" → day number.
std::optional<std::int32_t> parse_date(const std::string& s) {
  static const std::regex re(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return std::nullopt;
  const int y = std::stoi(m[1]);
  const unsigned mo = static_cast<unsigned>(std::stoi(m[2])), d = static_cast<unsigned>(std::stoi(m[3]));
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  const auto day = days_from_civil(y, mo, d);
  if (civil_from_days(day).d != d) return std::nullopt; // 2025-02-30
  return day;
}

// ---- survey cache ----------------------------------------------------------------------

// What the public endpoints need of a survey, served from memory.
struct LiveSurvey {
  std::string id;
  std::string config_body; // the normalised definition, as /config sends it
  std::string etag;
  std::vector<std::string> origins; // empty or "*": any
  std::uint32_t daily_cap = 0;
  bool archived = false;
  std::int64_t version = 0;
};

std::string etag_of(const std::string& body) { return "\"" + sha256_hex(body).substr(0, 32) + "\""; }

std::shared_ptr<const LiveSurvey> make_live(const SurveyRecord& rec) {
  auto live = std::make_shared<LiveSurvey>();
  live->id = rec.id;
  live->config_body = rec.definition;
  live->etag = rec.etag;
  live->archived = rec.archived;
  live->version = rec.version;
  auto j = nps::parse_json(rec.definition);
  if (j) {
    if (auto s = nps::parse_survey(*j)) {
      live->origins = s->allowed_origins;
      live->daily_cap = static_cast<std::uint32_t>(std::max(0, s->sampling.daily_response_cap));
    }
  }
  return live;
}

bool origin_allowed(const std::vector<std::string>& origins, const std::string& origin) {
  if (origins.empty()) return true;
  return std::any_of(origins.begin(), origins.end(),
                     [&](const std::string& o) { return o == "*" || o == origin; });
}

// ---- the server ------------------------------------------------------------------------

enum class Access { open, viewer, analyst, editor, admin };

Role required_role(Access a) {
  switch (a) {
  case Access::analyst: return Role::analyst;
  case Access::editor: return Role::editor;
  case Access::admin: return Role::admin;
  default: return Role::viewer;
  }
}

struct Ctx {
  const httplib::Request& req;
  httplib::Response& res;
  std::vector<std::string> params; // path parameters in order
  std::string body;
  std::optional<TokenRecord> token;     // the caller: a token, or a session seen as one
  std::optional<SessionRecord> session; // set when the caller came with a session cookie
};

using RouteHandler = std::function<void(Ctx&)>;

Millis system_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string random_hex(std::size_t bytes) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = rng() & 0xff;
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

json response_json(const StoredResponse& s) {
  json j = nps::to_json(s.response);
  j["id"] = s.id;
  j["category"] = std::string(nps::to_string(s.response.category()));
  j["received_at"] = iso_time(s.received_at);
  return j;
}

json summary_json(const nps::Tally& t) {
  json counts = json::array();
  for (auto c : t.counts())
    counts.push_back(c);
  json j = {{"n", t.n()},
            {"counts", counts},
            {"promoters", t.promoters()},
            {"passives", t.passives()},
            {"detractors", t.detractors()}};
  auto s = nps::summarize(t);
  if (!s) {
    j["nps"] = nullptr;
    j["ci95"] = nullptr;
    j["shares"] = nullptr;
    j["small_sample"] = true;
    return j;
  }
  j["shares"] = {
      {"promoters", s->promoter_share}, {"passives", s->passive_share}, {"detractors", s->detractor_share}};
  j["nps"] = s->nps;
  j["ci95"] = {s->ci95.lo, s->ci95.hi};
  j["se"] = nps::round_to(s->se, 2);
  j["small_sample"] = s->small_sample;
  return j;
}

// The category of each score 0..10, as the core classifies it, so a chart colours the
// distribution without a copy of the rule.
const json& score_categories() {
  static const json categories = [] {
    json a = json::array();
    for (int s = nps::Score::min; s <= nps::Score::max; ++s)
      a.push_back(std::string(nps::to_string(nps::classify(nps::Score::from_int(s).value()))));
    return a;
  }();
  return categories;
}

json comparison_json(const nps::Tally& a, const nps::Tally& b) {
  auto c = nps::compare(a, b);
  if (!c) return nullptr;
  return {{"difference", c->difference},
          {"z", c->z},
          {"p", c->p},
          {"significant", c->significant},
          {"small_sample", c->small_sample}};
}

class Server final : public NpsServer {
public:
  explicit Server(Config config)
      : config_(std::move(config)), storage_(open_sqlite(config_.database)), http_(config_.limits) {
    if (!config_.clock) config_.clock = system_millis;
    for (const auto& rec : storage_->surveys())
      surveys_[rec.id] = make_live(rec);
    bootstrap_tokens();
    instance_ = random_hex(4);
    register_routes();
  }

  ~Server() override { stop(); }

  void start() override {
    bind();
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    // listen_after_bind returns only when stopped; wait until it accepts.
    while (!http_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  bool run() override {
    bind();
    return http_.listen_after_bind();
  }

  void stop() override {
    std::lock_guard lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
    {
      std::lock_guard l(live_mu_);
      live_stop_ = true;
    }
    live_cv_.notify_all(); // ends the event streams so the graceful stop does not wait on them
    http_.shutdown_gracefully();
    if (thread_.joinable()) thread_.join();
    if (retention_thread_.joinable()) {
      {
        std::lock_guard l(retention_mu_);
        retention_stop_ = true;
      }
      retention_cv_.notify_all();
      retention_thread_.join();
    }
  }

  int port() const override { return port_; }
  Storage& storage() override { return *storage_; }
  const std::vector<RouteInfo>& routes() const override { return routes_; }
  std::optional<std::string> created_admin_token() const override { return created_token_; }

private:
  void bind() {
    if (config_.port == 0)
      port_ = http_.bind_to_any_port(config_.host);
    else
      port_ = http_.bind_to_port(config_.host, config_.port) ? config_.port : -1;
    if (port_ < 0)
      throw StorageError("cannot listen on " + config_.host + ":" + std::to_string(config_.port) +
                         " (is another npsd or program using it?)");
    http_.widen_backlog();
    if (config_.retention_days > 0 && !retention_thread_.joinable())
      retention_thread_ = std::thread([this] { retention_loop(); });
  }

  void bootstrap_tokens() {
    if (!config_.admin_token.empty()) {
      const auto hash = sha256_hex(config_.admin_token);
      const auto all = storage_->tokens();
      if (std::none_of(all.begin(), all.end(), [&](const TokenRecord& t) { return t.hash == hash; }))
        (void)storage_->add_token(
            TokenRecord{0, hash, Role::admin, "admin (from configuration)", config_.clock()});
    } else if (storage_->tokens().empty()) {
      auto secret = new_token_secret();
      (void)storage_->add_token(
          TokenRecord{0, sha256_hex(secret), Role::admin, "first admin", config_.clock()});
      created_token_ = std::move(secret);
    }
    reload_tokens();
  }

  void reload_tokens() {
    auto all = storage_->tokens();
    std::unique_lock lock(tokens_mu_);
    tokens_ = std::move(all);
  }

  // Every token's hash is compared, each in constant time, so the time taken does not
  // reveal which one (if any) matched.
  std::optional<TokenRecord> authenticate(const httplib::Request& req) const {
    const auto header = req.get_header_value("Authorization");
    static constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0)
      return std::nullopt;
    const auto hash = sha256_hex(std::string_view(header).substr(kBearer.size()));
    std::optional<TokenRecord> found;
    std::shared_lock lock(tokens_mu_);
    for (const auto& t : tokens_)
      if (constant_time_equal(t.hash, hash) && !found) found = t;
    return found;
  }

  struct Identity {
    std::optional<TokenRecord> token;
    std::optional<SessionRecord> session;
    bool bad_csrf = false;
  };

  // A bearer token wins; otherwise the session cookie. A state-changing request made with
  // the cookie must echo the session's CSRF token in X-CSRF-Token (a page on another
  // origin cannot read it, so it cannot forge the request).
  Identity identify(const httplib::Request& req) const {
    Identity id;
    if (req.has_header("Authorization")) {
      id.token = authenticate(req);
      return id;
    }
    const auto secret = cookie_value(req, kSessionCookie);
    if (secret.empty()) return id;
    auto s = storage_->session(sha256_hex(secret));
    if (!s || s->expires_at <= config_.clock()) return id;
    if (s->token_id) { // a session opened with a token ends with the token
      std::shared_lock lock(tokens_mu_);
      if (std::none_of(tokens_.begin(), tokens_.end(),
                       [&](const TokenRecord& t) { return t.id == *s->token_id; }))
        return id;
    }
    if (req.method != "GET" && req.method != "HEAD")
      id.bad_csrf = !constant_time_equal(req.get_header_value("X-CSRF-Token"), s->csrf);
    id.token = TokenRecord{s->token_id.value_or(0), "", s->role, s->email, s->created_at};
    id.session = std::move(s);
    return id;
  }

  static constexpr const char* kSessionCookie = "npsd_session";
  static constexpr Millis kSessionMillis = 12LL * 3'600'000;

  static std::string cookie_value(const httplib::Request& req, std::string_view name) {
    const auto header = req.get_header_value("Cookie");
    std::size_t pos = 0;
    while (pos < header.size()) {
      auto end = header.find(';', pos);
      if (end == std::string::npos) end = header.size();
      auto part = std::string_view(header).substr(pos, end - pos);
      while (!part.empty() && part.front() == ' ')
        part.remove_prefix(1);
      if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
        return std::string(part.substr(name.size() + 1));
      pos = end + 1;
    }
    return {};
  }

  // Sliding one-minute windows: per key (an e-mail) and for all sign-ins together.
  bool allow_login(const std::string& key, Millis now) {
    std::lock_guard lock(login_mu_);
    auto prune = [&](std::deque<Millis>& d) {
      while (!d.empty() && d.front() <= now - 60'000)
        d.pop_front();
    };
    auto& mine = login_attempts_[key];
    prune(mine);
    prune(login_all_);
    if (mine.size() >= 5 || login_all_.size() >= 60) return false;
    mine.push_back(now);
    login_all_.push_back(now);
    if (login_attempts_.size() > 10'000) login_attempts_.clear(); // bound memory under a spray of e-mails
    return true;
  }

  // The live feed: recently stored responses, for the server-sent events of /live.
  void announce(const StoredResponse& r) {
    {
      std::lock_guard lock(live_mu_);
      recent_.emplace_back(++live_seq_, r);
      while (recent_.size() > 1000)
        recent_.pop_front();
    }
    live_cv_.notify_all();
  }

  std::shared_ptr<const LiveSurvey> live(const std::string& id) const {
    std::shared_lock lock(surveys_mu_);
    auto it = surveys_.find(id);
    return it == surveys_.end() ? nullptr : it->second;
  }
  void publish(const SurveyRecord& rec) {
    auto l = make_live(rec);
    std::unique_lock lock(surveys_mu_);
    surveys_[rec.id] = std::move(l);
  }

  // The routing helper: one template ("/v1/surveys/{id}/config") for httplib's regex, the
  // route list and the OpenAPI check. Handles auth, body size and type, and errors.
  void route(const std::string& method, const std::string& path, Access access, RouteHandler h,
             std::size_t body_max = 0) {
    routes_.push_back({method, path});
    const std::string pattern = std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "([^/]+)");
    route_patterns_.emplace_back(std::regex(pattern), method);
    auto run = [this, path, access, h, body_max](const httplib::Request& req, httplib::Response& res,
                                                 const httplib::ContentReader* reader) {
      t_route = path;
      try {
        Ctx ctx{req, res, {}, {}, std::nullopt, std::nullopt};
        for (std::size_t i = 1; i < req.matches.size(); ++i)
          ctx.params.push_back(req.matches[i].str());
        if (access != Access::open) {
          auto who = identify(req);
          if (!who.token) {
            res.set_header("WWW-Authenticate", "Bearer");
            return send_error(res, "unauthorized", "",
                              "a valid API token (Authorization: Bearer …) or session is required");
          }
          if (who.bad_csrf)
            return send_error(
                res, "forbidden", "X-CSRF-Token",
                "a change made with a session cookie needs the X-CSRF-Token header from sign-in");
          ctx.token = std::move(who.token);
          ctx.session = std::move(who.session);
          if (ctx.token->role < required_role(access))
            return send_error(res, "forbidden", "",
                              "this needs the " + std::string(to_string(required_role(access))) +
                                  " role; the token has " + std::string(to_string(ctx.token->role)));
        }
        if (body_max > 0 && !read_body(ctx, reader, body_max)) return;
        h(ctx);
      } catch (const StorageError& e) {
        log_line({{"level", "error"}, {"msg", e.what()}, {"request_id", t_request_id}});
        send_error(res, "unavailable", "", "storage is unavailable, retry later");
      } catch (const std::exception& e) {
        log_line({{"level", "error"}, {"msg", e.what()}, {"request_id", t_request_id}});
        send_error(res, "internal", "", "internal error");
      }
    };
    const bool has_body = method == "POST" || method == "PUT" || method == "PATCH";
    auto plain = [run](const httplib::Request& req, httplib::Response& res) { run(req, res, nullptr); };
    auto streamed = [run](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& r) { run(req, res, &r); };
    if (method == "GET")
      http_.Get(pattern, plain);
    else if (method == "DELETE")
      http_.Delete(pattern, plain);
    else if (method == "OPTIONS")
      http_.Options(pattern, plain);
    else if (method == "POST")
      http_.Post(pattern, plain).Post(pattern, streamed);
    else if (method == "PUT")
      http_.Put(pattern, plain).Put(pattern, streamed);
    else if (method == "PATCH")
      http_.Patch(pattern, plain).Patch(pattern, streamed);
    (void)has_body;
  }

  // Reads a JSON body up to `max` bytes, chunked or not. False when an error was sent.
  bool read_body(Ctx& ctx, const httplib::ContentReader* reader, std::size_t max) {
    const auto type = ctx.req.get_header_value("Content-Type");
    const auto base = type.substr(0, type.find(';'));
    if (base != "application/json") {
      HardenedServer::close_after_response(); // the body was not read
      send_error(ctx.res, "unsupported_media_type", "",
                 "the body must be JSON, sent with Content-Type: application/json");
      return false;
    }
    if (!reader) {
      ctx.body = ctx.req.body;
      return true;
    }
    bool too_big = false;
    (*reader)([&](const char* data, std::size_t n) {
      if (ctx.body.size() + n > max) {
        too_big = true;
        return false;
      }
      ctx.body.append(data, n);
      return true;
    });
    if (too_big) {
      HardenedServer::close_after_response();
      send_error(ctx.res, "payload_too_large", "",
                 "the body is larger than " + std::to_string(max) + " bytes");
      return false;
    }
    return true;
  }

  // Parses the body as a JSON object; sends the error and returns nullopt otherwise.
  std::optional<json> json_body(Ctx& ctx) {
    if (auto at = nps::invalid_utf8_at(ctx.body)) {
      send_error(ctx.res, "invalid_utf8", "",
                 "the body is not valid UTF-8 (at byte " + std::to_string(*at) + ")");
      return std::nullopt;
    }
    auto j = nps::parse_json(ctx.body);
    if (!j) {
      send_error(ctx.res, "parse_error", "",
                 ctx.body.empty() ? "the body is empty" : "the body is not valid JSON");
      return std::nullopt;
    }
    if (!j->is_object()) {
      send_error(ctx.res, "invalid_type", "", "expected an object, got " + std::string(nps::type_name(*j)));
      return std::nullopt;
    }
    return std::move(j).value();
  }

  // CORS for the public endpoints. False (and 403 sent) when the Origin is not allowed.
  bool cors(Ctx& ctx, const LiveSurvey& s) {
    if (!ctx.req.has_header("Origin")) return true;
    const auto origin = ctx.req.get_header_value("Origin");
    if (!origin_allowed(s.origins, origin)) {
      send_error(ctx.res, "origin_not_allowed", "", origin + " may not send answers to this survey");
      return false;
    }
    ctx.res.set_header("Access-Control-Allow-Origin", origin);
    ctx.res.set_header("Vary", "Origin");
    ctx.res.set_header("Access-Control-Expose-Headers", "ETag, X-Request-Id");
    return true;
  }

  std::shared_ptr<const LiveSurvey> public_survey(Ctx& ctx) {
    auto s = live(ctx.params.at(0));
    if (!s) {
      send_error(ctx.res, "not_found", "survey_id", "no survey " + ctx.params.at(0));
      return nullptr;
    }
    if (s->archived) {
      send_error(ctx.res, "archived", "survey_id", "the survey " + s->id + " is closed");
      return nullptr;
    }
    return s;
  }

  void register_routes();
  void public_routes();
  void survey_routes();
  void token_routes();
  void response_routes();
  void analytics_routes();
  void privacy_routes();
  void auth_routes();
  void user_routes();
  void follow_up_routes();
  void live_routes();

  void retention_loop() {
    std::unique_lock lock(retention_mu_);
    while (!retention_stop_) {
      lock.unlock();
      try {
        const Millis cutoff = config_.clock() - static_cast<Millis>(config_.retention_days) * 86'400'000;
        const auto n = storage_->apply_retention(cutoff, config_.retention_mode);
        if (n > 0) log_line({{"level", "info"}, {"msg", "retention"}, {"affected", n}});
      } catch (const std::exception& e) {
        log_line({{"level", "error"}, {"msg", std::string("retention: ") + e.what()}});
      }
      lock.lock();
      retention_cv_.wait_for(lock, std::chrono::hours(1), [&] { return retention_stop_; });
    }
  }

  Config config_;
  std::unique_ptr<Storage> storage_;
  HardenedServer http_;
  std::thread thread_;
  int port_ = -1;
  std::string instance_;
  std::atomic<std::uint64_t> seq_{0};
  Metrics metrics_;

  std::vector<RouteInfo> routes_;
  std::vector<std::pair<std::regex, std::string>> route_patterns_;

  mutable std::shared_mutex surveys_mu_;
  std::unordered_map<std::string, std::shared_ptr<const LiveSurvey>> surveys_;
  mutable std::shared_mutex tokens_mu_;
  std::vector<TokenRecord> tokens_;
  std::optional<std::string> created_token_;

  std::mutex stop_mu_;
  bool stopped_ = false;
  std::thread retention_thread_;
  std::mutex retention_mu_;
  std::condition_variable retention_cv_;
  bool retention_stop_ = false;

  std::mutex login_mu_;
  std::unordered_map<std::string, std::deque<Millis>> login_attempts_;
  std::deque<Millis> login_all_;
  std::once_flag dummy_once_;
  std::string dummy_hash_; // verified against for unknown e-mails, so timing does not tell

  std::mutex live_mu_;
  std::condition_variable live_cv_;
  std::deque<std::pair<std::uint64_t, StoredResponse>> recent_;
  std::uint64_t live_seq_ = 0;
  std::atomic<bool> live_stop_{false};
};

void Server::register_routes() {
  // The front refuses a body over its route's limit (413) before reading it.
  http_.set_body_limit([this](const std::string&, const std::string& path) {
    return path.rfind("/v1/admin/", 0) == 0 ? config_.admin_body_max : config_.public_body_max;
  });
  http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_route.clear();
    t_request_id = instance_ + "-" + std::to_string(++seq_);
    res.set_header("X-Request-Id", t_request_id);
    // A folder of the web root asked for without its slash (/demo, /dashboard) is
    // redirected, so its page's relative links resolve.
    if (req.method == "GET" && !config_.web_root.empty() && req.path.size() > 1 && req.path.back() != '/' &&
        req.path.find("..") == std::string::npos && req.path.rfind("/v1/", 0) != 0) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(
              std::filesystem::path(config_.web_root) / (req.path.substr(1) + "/index.html"), ec)) {
        res.status = 301;
        res.set_header("Location", req.path + "/");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    // The admin API answers browsers only from the configured origins.
    if (!config_.allowed_origins.empty() && req.path.rfind("/v1/admin/", 0) == 0 &&
        req.has_header("Origin")) {
      const auto origin = req.get_header_value("Origin");
      if (origin_allowed(config_.allowed_origins, origin)) {
        res.set_header("Access-Control-Allow-Origin", origin);
        res.set_header("Vary", "Origin");
        if (req.method == "OPTIONS") {
          res.status = 204;
          res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
          res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-CSRF-Token");
          res.set_header("Access-Control-Max-Age", "600");
          return httplib::Server::HandlerResponse::Handled;
        }
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  http_.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404) {
          for (const auto& [re, method] : route_patterns_)
            if (std::regex_match(req.path, re)) {
              send_error(res, "method_not_allowed", "", req.method + " is not allowed on " + req.path);
              return httplib::Server::HandlerResponse::Handled;
            }
          send_error(res, "not_found", "", "nothing at " + req.path);
        } else if (res.status == 413) {
          send_error(res, "payload_too_large", "", "the body is too large");
        } else if (res.status == 414) {
          send_error(res, "uri_too_long", "", "the URL is too long");
        } else if (res.status == 400) {
          send_error(res, "bad_request", "", "the request is not valid HTTP");
        } else {
          const int status = res.status;
          send_error(res, "internal", "", "HTTP " + std::to_string(status));
          res.status = status;
        }
        return httplib::Server::HandlerResponse::Handled;
      }));

  http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const auto started = HardenedServer::request_started();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const std::string route = t_route.empty() ? (res.status == 404 ? "unmatched" : "static") : t_route;
    metrics_.observe(route, req.method, res.status, seconds);
    if (config_.log_requests)
      log_line({{"ts", iso_time(config_.clock())},
                {"level", "info"},
                {"msg", "request"},
                {"request_id", t_request_id},
                {"method", req.method},
                {"path", req.path},
                {"route", route},
                {"status", res.status},
                {"ms", std::round(seconds * 1e5) / 100},
                {"bytes", res.body.size()}});
  });

  if (!config_.web_root.empty() && std::filesystem::is_directory(config_.web_root)) {
    http_.set_mount_point("/", config_.web_root);
    // The widget's files are loaded by other sites' pages: the loader's import() of its
    // modules and the fetches of the Wasm and of the widget's texts (nps-texts-<tag>.json)
    // are cross-origin requests, so they must allow any origin. They carry no credentials
    // and nothing private.
    http_.set_file_request_handler([](const httplib::Request& req, httplib::Response& res) {
      const auto ends_with = [&](std::string_view ext) {
        return req.path.size() >= ext.size() &&
               req.path.compare(req.path.size() - ext.size(), ext.size(), ext) == 0;
      };
      if (ends_with(".js") || ends_with(".mjs") || ends_with(".wasm") || ends_with(".css") ||
          (req.path.rfind("/nps-texts-", 0) == 0 && ends_with(".json"))) {
        res.set_header("Access-Control-Allow-Origin", "*");
        res.set_header("Cache-Control", "public, max-age=300");
      }
    });
  }

  route("GET", "/healthz", Access::open, [this](Ctx& c) {
    (void)storage_->count_responses("");
    send_json(c.res, 200, {{"status", "ok"}});
  });
  route("GET", "/metrics", Access::open, [this](Ctx& c) {
    c.res.set_content(
        metrics_.render(storage_->pending_writes(), http_.open_connections(), http_.refused_connections()),
        "text/plain; version=0.0.4");
  });
  route("GET", "/v1/openapi.json", Access::open,
        [](Ctx& c) { c.res.set_content(openapi_document(), "application/json"); });

  public_routes();
  survey_routes();
  token_routes();
  response_routes();
  analytics_routes();
  privacy_routes();
  auth_routes();
  user_routes();
  follow_up_routes();
  live_routes();
}

// ---- public endpoints ------------------------------------------------------------------

void Server::public_routes() {
  route("GET", "/v1/surveys/{id}/config", Access::open, [this](Ctx& c) {
    auto s = public_survey(c);
    if (!s || !cors(c, *s)) return;
    c.res.set_header("ETag", s->etag);
    c.res.set_header("Cache-Control", "public, max-age=60, stale-while-revalidate=600");
    const auto inm = c.req.get_header_value("If-None-Match");
    if (!inm.empty() && (inm == s->etag || inm == "*" || inm.find(s->etag) != std::string::npos)) {
      c.res.status = 304;
      return;
    }
    c.res.set_content(s->config_body, "application/json");
  });

  auto preflight = [this](Ctx& c) {
    auto s = public_survey(c);
    if (!s) return;
    const auto origin = c.req.get_header_value("Origin");
    if (origin.empty() || !origin_allowed(s->origins, origin))
      return send_error(c.res, "origin_not_allowed", "", "this origin may not call this survey's endpoints");
    c.res.status = 204;
    c.res.set_header("Access-Control-Allow-Origin", origin);
    c.res.set_header("Vary", "Origin");
    c.res.set_header("Access-Control-Allow-Methods", "GET, POST, PATCH");
    c.res.set_header("Access-Control-Allow-Headers", "Content-Type");
    c.res.set_header("Access-Control-Max-Age", "600");
  };
  route("OPTIONS", "/v1/surveys/{id}/config", Access::open, preflight);
  route("OPTIONS", "/v1/surveys/{id}/responses", Access::open, preflight);
  route("OPTIONS", "/v1/surveys/{id}/responses/{key}", Access::open, preflight);

  route(
      "POST", "/v1/surveys/{id}/responses", Access::open,
      [this](Ctx& c) {
        auto s = public_survey(c);
        if (!s || !cors(c, *s)) return;
        auto body = json_body(c);
        if (!body) return;
        if (auto it = body->find("survey_id"); it == body->end())
          (*body)["survey_id"] = s->id;
        else if (!it->is_string() || it->get_ref<const std::string&>() != s->id)
          return send_error(c.res, "invalid_value", "survey_id",
                            "does not match the survey in the URL (" + s->id + ")");
        auto parsed = nps::parse_response(*body);
        if (!parsed) return send_core_errors(c.res, parsed.errors());
        const auto out = storage_->insert_response(*parsed, config_.clock(), s->daily_cap);
        if (out.status == Inserted::cap_reached) {
          metrics_.capped++;
          return send_error(c.res, "daily_cap_reached", "",
                            "this survey takes no more answers today (" + std::to_string(s->daily_cap) +
                                " a day)");
        }
        const bool created = out.status == Inserted::created;
        (created ? metrics_.stored : metrics_.duplicates)++;
        if (created) announce(out.stored);
        json j = {{"id", out.stored.id},
                  {"survey_id", out.stored.response.survey_id},
                  {"idempotency_key", out.stored.response.idempotency_key},
                  {"score", out.stored.response.score.value()},
                  {"category", std::string(nps::to_string(out.stored.response.category()))},
                  {"received_at", iso_time(out.stored.received_at)},
                  {"duplicate", !created}};
        send_json(c.res, created ? 201 : 200, j);
      },
      config_.public_body_max);

  route(
      "PATCH", "/v1/surveys/{id}/responses/{key}", Access::open,
      [this](Ctx& c) {
        auto s = public_survey(c);
        if (!s || !cors(c, *s)) return;
        auto patch = json_body(c);
        if (!patch) return;
        const auto& key = c.params.at(1);
        auto existing = storage_->find_response(s->id, key);
        if (!existing) return send_error(c.res, "not_found", "idempotency_key", "no response with this key");
        // A follow-up may set the comment, the answers and correct the score; the rest
        // is how and where the answer was given, and stays.
        json merged = nps::to_json(existing->response);
        std::vector<ApiError> errors;
        for (auto it = patch->begin(); it != patch->end(); ++it) {
          const auto& k = it.key();
          if (k == "comment" || k == "answers" || k == "score") {
            if (it->is_null())
              merged.erase(k);
            else
              merged[k] = *it;
          } else if (k == "survey_id" || k == "idempotency_key") {
            if (*it != merged[k])
              errors.push_back({"invalid_value", k, "does not match the response in the URL"});
          } else {
            errors.push_back({"unknown_field", k, "a follow-up may change comment, answers and score only"});
          }
        }
        if (!errors.empty()) return send_errors(c.res, errors);
        auto parsed = nps::parse_response(merged);
        if (!parsed) return send_core_errors(c.res, parsed.errors());
        auto updated = storage_->update_response(*parsed);
        if (!updated) return send_error(c.res, "not_found", "idempotency_key", "no response with this key");
        json j = {{"id", updated->id},
                  {"survey_id", updated->response.survey_id},
                  {"idempotency_key", updated->response.idempotency_key},
                  {"score", updated->response.score.value()},
                  {"category", std::string(nps::to_string(updated->response.category()))},
                  {"received_at", iso_time(updated->received_at)}};
        send_json(c.res, 200, j);
      },
      config_.public_body_max);
}

// ---- admin: surveys --------------------------------------------------------------------

json survey_record_json(const SurveyRecord& r, bool with_definition) {
  json j = {{"id", r.id},
            {"version", r.version},
            {"archived", r.archived},
            {"etag", r.etag},
            {"updated_at", iso_time(r.updated_at)}};
  auto def = nps::parse_json(r.definition);
  if (def && def->is_object() && def->contains("name")) j["name"] = (*def)["name"];
  if (with_definition && def) j["definition"] = *def;
  return j;
}

void Server::survey_routes() {
  route("GET", "/v1/admin/surveys", Access::viewer, [this](Ctx& c) {
    json items = json::array();
    for (const auto& r : storage_->surveys())
      items.push_back(survey_record_json(r, false));
    send_json(c.res, 200, {{"items", items}});
  });
  route("GET", "/v1/admin/surveys/{id}", Access::viewer, [this](Ctx& c) {
    auto r = storage_->survey(c.params[0]);
    if (!r) return send_error(c.res, "not_found", "", "no survey " + c.params[0]);
    send_json(c.res, 200, survey_record_json(*r, true));
  });

  // Creates (POST, the id in the body) or replaces (PUT, the id in the URL) a survey.
  auto save = [this](Ctx& c, bool create) {
    auto body = json_body(c);
    if (!body) return;
    if (!create) {
      if (auto it = body->find("id"); it == body->end())
        (*body)["id"] = c.params[0];
      else if (*it != c.params[0])
        return send_error(c.res, "invalid_value", "id", "does not match the URL");
    }
    auto survey = nps::parse_survey(*body);
    if (!survey) return send_core_errors(c.res, survey.errors());
    auto existing = storage_->survey(survey->id);
    if (create && existing)
      return send_error(c.res, "duplicate", "id", "a survey " + survey->id + " exists; PUT replaces it");
    if (!create && !existing) return send_error(c.res, "not_found", "", "no survey " + c.params[0]);
    SurveyRecord rec;
    rec.id = survey->id;
    rec.definition = nps::dump(nps::to_json(*survey));
    rec.etag = etag_of(rec.definition);
    rec.archived = existing && existing->archived;
    rec = storage_->put_survey(rec, config_.clock());
    publish(rec);
    send_json(c.res, create ? 201 : 200, survey_record_json(rec, true));
  };
  route(
      "POST", "/v1/admin/surveys", Access::editor, [save](Ctx& c) { save(c, true); }, config_.admin_body_max);
  route(
      "PUT", "/v1/admin/surveys/{id}", Access::editor, [save](Ctx& c) { save(c, false); },
      config_.admin_body_max);
  route("DELETE", "/v1/admin/surveys/{id}", Access::editor, [this](Ctx& c) {
    if (!storage_->set_archived(c.params[0], true, config_.clock()))
      return send_error(c.res, "not_found", "", "no survey " + c.params[0]);
    if (auto r = storage_->survey(c.params[0])) publish(*r);
    send_json(c.res, 200, {{"id", c.params[0]}, {"archived", true}});
  });
}

// ---- admin: tokens ---------------------------------------------------------------------

// The numeric id at c.params[index]; sends 400 naming `field` and returns nullopt otherwise.
std::optional<std::int64_t> path_id(Ctx& c, std::size_t index, const std::string& field,
                                    const std::string& what) {
  try {
    return std::stoll(c.params.at(index));
  } catch (...) {
    send_error(c.res, "invalid_format", field, "a " + what + " id is a number");
    return std::nullopt;
  }
}

// The required "role" of a token or user body; records the error and returns nullopt otherwise.
std::optional<Role> read_role(const json& body, std::vector<ApiError>& errors) {
  std::optional<Role> role;
  if (auto it = body.find("role"); it == body.end())
    errors.push_back({"required", "role", "admin, editor, analyst or viewer"});
  else if (!it->is_string() || !(role = role_from_string(it->get<std::string>())))
    errors.push_back({"invalid_value", "role", "admin, editor, analyst or viewer"});
  return role;
}

void Server::token_routes() {
  route("GET", "/v1/admin/tokens", Access::admin, [this](Ctx& c) {
    json items = json::array();
    for (const auto& t : storage_->tokens())
      items.push_back({{"id", t.id},
                       {"role", to_string(t.role)},
                       {"name", t.name},
                       {"created_at", iso_time(t.created_at)}});
    send_json(c.res, 200, {{"items", items}});
  });
  route(
      "POST", "/v1/admin/tokens", Access::admin,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        std::string name;
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "role" && it.key() != "name")
            errors.push_back({"unknown_field", it.key(), "not a token field"});
        const std::optional<Role> role = read_role(*body, errors);
        if (auto it = body->find("name"); it != body->end()) {
          if (!it->is_string() || it->get<std::string>().size() > 200 ||
              !nps::is_valid_utf8(it->get<std::string>()))
            errors.push_back({"invalid_value", "name", "a text of at most 200 bytes"});
          else
            name = it->get<std::string>();
        }
        if (!errors.empty()) return send_errors(c.res, errors);
        auto secret = new_token_secret();
        auto t = storage_->add_token(TokenRecord{0, sha256_hex(secret), *role, name, config_.clock()});
        reload_tokens();
        send_json(c.res, 201,
                  {{"id", t.id}, {"role", to_string(t.role)}, {"name", t.name}, {"token", secret}});
      },
      config_.public_body_max);
  route("DELETE", "/v1/admin/tokens/{token_id}", Access::admin, [this](Ctx& c) {
    const auto parsed = path_id(c, 0, "token_id", "token");
    if (!parsed) return;
    const std::int64_t id = *parsed;
    if (!storage_->delete_token(id)) return send_error(c.res, "not_found", "token_id", "no such token");
    reload_tokens();
    send_json(c.res, 200, {{"id", id}, {"deleted", true}});
  });
}

// ---- admin: responses and export -------------------------------------------------------

// Reads the list/export filters from the query string; sends 400 and returns nullopt on error.
std::optional<ResponseFilter> read_filter(Ctx& c) {
  ResponseFilter f;
  f.survey_id = c.params.at(0);
  std::vector<ApiError> errors;
  auto q = [&](const char* k) -> std::optional<std::string> {
    if (!c.req.has_param(k)) return std::nullopt;
    return c.req.get_param_value(k);
  };
  if (auto v = q("from")) {
    if (auto d = parse_date(*v))
      f.from = static_cast<Millis>(*d) * 86'400'000;
    else
      errors.push_back({"invalid_format", "from", "a date YYYY-MM-DD"});
  }
  if (auto v = q("to")) { // inclusive
    if (auto d = parse_date(*v))
      f.to = static_cast<Millis>(*d + 1) * 86'400'000;
    else
      errors.push_back({"invalid_format", "to", "a date YYYY-MM-DD"});
  }
  if (auto v = q("category")) {
    if (auto cat = nps::category_from_string(*v))
      f.category = *cat;
    else
      errors.push_back({"invalid_value", "category", "detractor, passive or promoter"});
  }
  if (auto v = q("score")) {
    auto s = nps::Score::parse(*v);
    if (s)
      f.score = s->value();
    else
      errors.push_back({"out_of_range", "score", "a whole number from 0 to 10"});
  }
  f.channel = q("channel");
  f.locale = q("locale");
  f.device = q("device");
  f.text = q("q");
  f.respondent_id = q("respondent_id");
  if (auto v = q("attribute")) { // key:value
    const auto colon = v->find(':');
    if (colon == std::string::npos || colon == 0)
      errors.push_back({"invalid_format", "attribute", "key:value"});
    else {
      f.attribute_key = v->substr(0, colon);
      f.attribute_value = v->substr(colon + 1);
      if (f.attribute_key->find_first_not_of(
              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != std::string::npos)
        errors.push_back({"invalid_format", "attribute", "the key has letters, digits, _ . - only"});
    }
  }
  if (!errors.empty()) {
    send_errors(c.res, errors);
    return std::nullopt;
  }
  return f;
}

std::string csv_cell(std::string v) {
  // A cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text.
  if (!v.empty() && std::string_view("=+-@\t\r").find(v[0]) != std::string_view::npos) v.insert(0, "'");
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string csv_row(const StoredResponse& s) {
  const auto& r = s.response;
  std::vector<std::string> cells = {
      std::to_string(s.id),
      iso_time(s.received_at),
      r.survey_id,
      std::to_string(r.score.value()),
      std::string(nps::to_string(r.category())),
      r.comment.value_or(""),
      std::string(nps::to_string(r.channel)),
      r.locale.value_or(""),
      r.device ? std::string(nps::to_string(*r.device)) : "",
      r.page.value_or(""),
      r.respondent_id.value_or(""),
      r.client_time ? iso_time(*r.client_time) : "",
      r.attributes.empty() ? "" : nps::dump(r.attributes),
      r.answers.empty() ? "" : nps::dump(r.answers),
      r.idempotency_key,
  };
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i)
    line += (i ? "," : "") + csv_cell(cells[i]);
  return line + "\r\n";
}

void Server::response_routes() {
  route("GET", "/v1/admin/surveys/{id}/responses", Access::analyst, [this](Ctx& c) {
    auto f = read_filter(c);
    if (!f) return;
    std::size_t limit = 50;
    std::optional<std::int64_t> cursor;
    try {
      if (c.req.has_param("limit"))
        limit = std::clamp<std::size_t>(std::stoul(c.req.get_param_value("limit")), 1, 500);
      if (c.req.has_param("cursor")) cursor = std::stoll(c.req.get_param_value("cursor"));
    } catch (...) {
      return send_error(c.res, "invalid_format", "cursor", "limit and cursor are numbers");
    }
    auto page = storage_->list_responses(*f, cursor, limit);
    json items = json::array();
    for (const auto& s : page.items)
      items.push_back(response_json(s));
    send_json(
        c.res, 200,
        {{"items", items}, {"next_cursor", page.next ? json(std::to_string(*page.next)) : json(nullptr)}});
  });

  // Streams every matching response, a page at a time, without holding the whole set.
  route("GET", "/v1/admin/surveys/{id}/export", Access::analyst, [this](Ctx& c) {
    auto f = read_filter(c);
    if (!f) return;
    const auto format = c.req.has_param("format") ? c.req.get_param_value("format") : "csv";
    if (format != "csv" && format != "json")
      return send_error(c.res, "invalid_value", "format", "csv or json");
    struct State {
      std::optional<std::int64_t> cursor;
      bool started = false, done = false, first = true;
    };
    auto state = std::make_shared<State>();
    const bool csv = format == "csv";
    c.res.set_header("Content-Disposition",
                     "attachment; filename=\"" + f->survey_id + (csv ? ".csv\"" : ".json\""));
    c.res.set_chunked_content_provider(
        csv ? "text/csv; charset=utf-8" : "application/json",
        [this, filter = *f, state, csv](std::size_t, httplib::DataSink& sink) {
          if (state->done) {
            sink.done();
            return true;
          }
          std::string out;
          if (!state->started) {
            state->started = true;
            out = csv ? "id,received_at,survey_id,score,category,comment,channel,locale,device,page,"
                        "respondent_id,client_time,attributes,answers,idempotency_key\r\n"
                      : "[";
          }
          auto page = storage_->list_responses(filter, state->cursor, 500);
          for (const auto& s : page.items) {
            if (csv)
              out += csv_row(s);
            else {
              out += state->first ? "\n" : ",\n";
              state->first = false;
              out += nps::dump(response_json(s));
            }
          }
          state->cursor = page.next;
          if (!page.next) {
            state->done = true;
            if (!csv) out += "\n]\n";
          }
          return sink.write(out.data(), out.size());
        });
  });
}

// ---- admin: analytics ------------------------------------------------------------------

struct DayRange {
  std::int32_t from = 0, to = 0;
};

std::optional<DayRange> read_range(Ctx& c, Millis now) {
  DayRange r{0, day_of(now)};
  std::vector<ApiError> errors;
  if (c.req.has_param("from")) {
    if (auto d = parse_date(c.req.get_param_value("from")))
      r.from = *d;
    else
      errors.push_back({"invalid_format", "from", "a date YYYY-MM-DD"});
  }
  if (c.req.has_param("to")) {
    if (auto d = parse_date(c.req.get_param_value("to")))
      r.to = *d;
    else
      errors.push_back({"invalid_format", "to", "a date YYYY-MM-DD"});
  }
  if (!errors.empty()) {
    send_errors(c.res, errors);
    return std::nullopt;
  }
  return r;
}

// The tally query of an analytics request: range and segment filters (channel, locale, device).
TallyQuery tally_query(const Ctx& c, const DayRange& range, TallyGroup group) {
  TallyQuery q;
  q.survey_id = c.params.at(0);
  q.from_day = range.from;
  q.to_day = range.to;
  q.group = group;
  if (c.req.has_param("channel")) q.channel = c.req.get_param_value("channel");
  if (c.req.has_param("locale")) q.locale = c.req.get_param_value("locale");
  if (c.req.has_param("device")) q.device = c.req.get_param_value("device");
  return q;
}

void Server::analytics_routes() {
  auto survey_exists = [this](Ctx& c) {
    if (live(c.params[0])) return true;
    send_error(c.res, "not_found", "", "no survey " + c.params[0]);
    return false;
  };

  route("GET", "/v1/admin/surveys/{id}/summary", Access::viewer, [this, survey_exists](Ctx& c) {
    if (!survey_exists(c)) return;
    auto range = read_range(c, config_.clock());
    if (!range) return;
    nps::Tally t;
    for (const auto& row : storage_->tally_groups(tally_query(c, *range, TallyGroup::all)))
      t.merge(row.tally);
    json j = summary_json(t);
    j["categories"] = score_categories();
    j["survey_id"] = c.params[0];
    j["from"] = date_text(range->from);
    j["to"] = date_text(range->to);
    send_json(c.res, 200, j);
  });

  route("GET", "/v1/admin/surveys/{id}/trend", Access::viewer, [this, survey_exists](Ctx& c) {
    if (!survey_exists(c)) return;
    auto range = read_range(c, config_.clock());
    if (!range) return;
    const auto interval = c.req.has_param("interval") ? c.req.get_param_value("interval") : "week";
    std::function<std::int32_t(std::int32_t)> bucket_start;
    if (interval == "day")
      bucket_start = [](std::int32_t d) { return d; };
    else if (interval == "week")
      bucket_start = [](std::int32_t d) { return d - ((d % 7 + 7 + 3) % 7); }; // Mondays
    else if (interval == "month")
      bucket_start = [](std::int32_t d) {
        const auto cv = civil_from_days(d);
        return days_from_civil(cv.y, cv.m, 1);
      };
    else
      return send_error(c.res, "invalid_value", "interval", "day, week or month");
    std::map<std::int32_t, nps::Tally> buckets;
    for (const auto& row : storage_->tally_groups(tally_query(c, *range, TallyGroup::day)))
      buckets[bucket_start(row.day)].merge(row.tally);
    json out = json::array();
    const nps::Tally* previous = nullptr;
    for (const auto& [start, t] : buckets) {
      json b = summary_json(t);
      b["start"] = date_text(start);
      // The change against the previous bucket that had answers, and whether it is real.
      b["change"] = previous ? comparison_json(t, *previous) : json(nullptr);
      out.push_back(std::move(b));
      previous = &t;
    }
    send_json(c.res, 200,
              {{"survey_id", c.params[0]},
               {"interval", interval},
               {"from", date_text(range->from)},
               {"to", date_text(range->to)},
               {"buckets", out}});
  });

  route("GET", "/v1/admin/surveys/{id}/breakdown", Access::viewer, [this, survey_exists](Ctx& c) {
    if (!survey_exists(c)) return;
    auto range = read_range(c, config_.clock());
    if (!range) return;
    const auto by = c.req.has_param("by") ? c.req.get_param_value("by") : "channel";
    // channel, locale and device come from the day tallies; page and attribute:KEY from the
    // rows of the range (they are unbounded, so they have no tallies).
    const bool by_attribute = by.rfind("attribute:", 0) == 0;
    if (by != "channel" && by != "locale" && by != "device" && by != "page" && !by_attribute)
      return send_error(c.res, "invalid_value", "by", "channel, locale, device, page or attribute:KEY");
    std::optional<std::string> attribute;
    if (by_attribute) {
      attribute = by.substr(10);
      if (attribute->empty() || attribute->size() > 64 ||
          attribute->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
              std::string::npos)
        return send_error(c.res, "invalid_format", "by",
                          "attribute:KEY, the key with letters, digits, _ . - only");
    }
    std::map<std::string, nps::Tally> segments;
    nps::Tally total;
    std::vector<TallyGroupRow> rows;
    if (by == "page" || by_attribute) {
      // Pages and attributes are not in the day tallies: counted from the rows.
      ResponseFilter f;
      f.survey_id = c.params[0];
      f.from = static_cast<Millis>(range->from) * 86'400'000;
      f.to = static_cast<Millis>(range->to + 1) * 86'400'000;
      if (c.req.has_param("channel")) f.channel = c.req.get_param_value("channel");
      if (c.req.has_param("locale")) f.locale = c.req.get_param_value("locale");
      if (c.req.has_param("device")) f.device = c.req.get_param_value("device");
      rows = storage_->score_groups(f, attribute);
    } else {
      const auto group = by == "channel"  ? TallyGroup::channel
                         : by == "locale" ? TallyGroup::locale
                                          : TallyGroup::device;
      rows = storage_->tally_groups(tally_query(c, *range, group));
    }
    for (const auto& row : rows) {
      segments[row.key].merge(row.tally);
      total.merge(row.tally);
    }
    json out = json::array();
    for (const auto& [key, t] : segments) {
      nps::Tally rest;
      for (const auto& [other, o] : segments)
        if (other != key) rest.merge(o);
      json s = summary_json(t);
      s["value"] = key.empty() ? json(nullptr) : json(key);
      s["vs_rest"] = comparison_json(t, rest); // null when there is no rest
      out.push_back(std::move(s));
    }
    send_json(c.res, 200,
              {{"survey_id", c.params[0]},
               {"by", by},
               {"from", date_text(range->from)},
               {"to", date_text(range->to)},
               {"total", summary_json(total)},
               {"segments", out}});
  });
}

// ---- admin: privacy --------------------------------------------------------------------

void Server::privacy_routes() {
  route("GET", "/v1/admin/respondents/{respondent_id}", Access::admin, [this](Ctx& c) {
    json items = json::array();
    for (const auto& s : storage_->respondent(c.params[0]))
      items.push_back(response_json(s));
    send_json(c.res, 200, {{"respondent_id", c.params[0]}, {"responses", items}});
  });
  route("DELETE", "/v1/admin/respondents/{respondent_id}", Access::admin, [this](Ctx& c) {
    const auto n = storage_->delete_respondent(c.params[0]);
    send_json(c.res, 200, {{"respondent_id", c.params[0]}, {"deleted", n}});
  });
  route(
      "POST", "/v1/admin/retention", Access::admin,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        std::int64_t days = 0;
        if (auto it = body->find("days"); it != body->end()) days = nps::as_integer(*it).value_or(0);
        if (days < 1 || days > 36500)
          errors.push_back({"out_of_range", "days", "a whole number of days, 1 to 36500"});
        RetentionMode mode = RetentionMode::anonymize;
        if (auto it = body->find("mode"); it != body->end()) {
          if (*it == "remove")
            mode = RetentionMode::remove;
          else if (*it != "anonymize")
            errors.push_back({"invalid_value", "mode", "anonymize or remove"});
        }
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "days" && it.key() != "mode")
            errors.push_back({"unknown_field", it.key(), "days and mode only"});
        if (!errors.empty()) return send_errors(c.res, errors);
        const Millis cutoff = config_.clock() - days * 86'400'000;
        const auto n = storage_->apply_retention(cutoff, mode);
        send_json(c.res, 200,
                  {{"before", iso_time(cutoff)},
                   {"mode", mode == RetentionMode::remove ? "remove" : "anonymize"},
                   {"affected", n}});
      },
      config_.public_body_max);
}

// ---- auth: sign-in, sessions -----------------------------------------------------------

std::string session_cookie(const std::string& value, Millis max_age_ms) {
  // FIXME: add Secure once npsd terminates TLS itself; behind a TLS proxy browsers still keep it.
  return std::string("npsd_session=") + value +
         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age_ms / 1000);
}

json me_json(const TokenRecord& who, const std::optional<SessionRecord>& s) {
  json j = {{"role", to_string(who.role)}, {"email", who.name}, {"via", s ? "session" : "token"}};
  if (s) {
    j["csrf_token"] = s->csrf;
    j["expires_at"] = iso_time(s->expires_at);
    j["user_id"] = s->user_id ? json(*s->user_id) : json(nullptr);
  }
  return j;
}

void Server::auth_routes() {
  route(
      "POST", "/v1/auth/login", Access::open,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        auto text = [&](const char* k, std::size_t max) -> std::optional<std::string> {
          auto it = body->find(k);
          if (it == body->end()) return std::nullopt;
          if (!it->is_string() || it->get<std::string>().empty() || it->get<std::string>().size() > max) {
            errors.push_back({"invalid_value", k, "a text of 1 to " + std::to_string(max) + " bytes"});
            return std::nullopt;
          }
          return it->get<std::string>();
        };
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "email" && it.key() != "password" && it.key() != "token")
            errors.push_back({"unknown_field", it.key(), "email and password, or token"});
        const auto email = text("email", 254), password = text("password", 200), token = text("token", 200);
        if (errors.empty() && !token && !(email && password))
          errors.push_back({"required", email ? "password" : "email", "email and password, or token"});
        if (!errors.empty()) return send_errors(c.res, errors);
        const Millis now = config_.clock();
        std::string key = token ? std::string("token") : *email;
        std::transform(key.begin(), key.end(), key.begin(),
                       [](unsigned char ch) { return std::tolower(ch); });
        if (!allow_login(key, now)) {
          c.res.set_header("Retry-After", "60");
          return send_error(c.res, "rate_limited", "", "too many sign-in attempts; wait a minute");
        }
        SessionRecord s;
        if (token) {
          httplib::Request fake;
          fake.headers.emplace("Authorization", "Bearer " + *token);
          auto t = authenticate(fake);
          if (!t) return send_error(c.res, "unauthorized", "token", "unknown token");
          s.token_id = t->id;
          s.role = t->role;
          s.email = t->name.empty() ? "token " + std::to_string(t->id) : t->name;
        } else {
          auto user = storage_->user_by_email(*email);
          bool ok = false;
          if (user)
            ok = verify_password(user->password_hash, *password);
          else {
            std::call_once(dummy_once_, [this] { dummy_hash_ = hash_password(new_token_secret()); });
            (void)verify_password(dummy_hash_, *password);
          }
          if (!ok) return send_error(c.res, "unauthorized", "", "wrong e-mail or password");
          s.user_id = user->id;
          s.role = user->role;
          s.email = user->email;
        }
        const auto secret = new_token_secret();
        s.hash = sha256_hex(secret);
        s.csrf = new_token_secret().substr(5);
        s.created_at = now;
        s.expires_at = now + kSessionMillis;
        storage_->add_session(s);
        c.res.set_header("Set-Cookie", session_cookie(secret, kSessionMillis));
        c.res.set_header("Cache-Control", "no-store");
        TokenRecord who{s.token_id.value_or(0), "", s.role, s.email, now};
        send_json(c.res, 200, me_json(who, s));
      },
      config_.public_body_max);
  route("POST", "/v1/auth/logout", Access::viewer, [this](Ctx& c) {
    if (c.session) storage_->delete_session(c.session->hash);
    c.res.set_header("Set-Cookie", session_cookie("", 0));
    send_json(c.res, 200, {{"signed_out", true}});
  });
  route("GET", "/v1/auth/me", Access::viewer, [](Ctx& c) {
    c.res.set_header("Cache-Control", "no-store");
    send_json(c.res, 200, me_json(*c.token, c.session));
  });
}

// ---- admin: users ----------------------------------------------------------------------

void Server::user_routes() {
  route("GET", "/v1/admin/users", Access::admin, [this](Ctx& c) {
    json items = json::array();
    for (const auto& u : storage_->users())
      items.push_back({{"id", u.id},
                       {"email", u.email},
                       {"role", to_string(u.role)},
                       {"created_at", iso_time(u.created_at)}});
    send_json(c.res, 200, {{"items", items}});
  });
  route(
      "POST", "/v1/admin/users", Access::admin,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        std::string email, password;
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "email" && it.key() != "role" && it.key() != "password")
            errors.push_back({"unknown_field", it.key(), "email, role and password"});
        if (auto it = body->find("email"); it == body->end())
          errors.push_back({"required", "email", "an e-mail address"});
        else if (!it->is_string() || it->get<std::string>().size() > 254 ||
                 it->get<std::string>().find('@') == std::string::npos ||
                 !nps::is_valid_utf8(it->get<std::string>()))
          errors.push_back({"invalid_format", "email", "an e-mail address"});
        else
          email = it->get<std::string>();
        const std::optional<Role> role = read_role(*body, errors);
        if (auto it = body->find("password"); it == body->end())
          errors.push_back({"required", "password", "10 to 200 bytes"});
        else if (!it->is_string() || it->get<std::string>().size() < 10 ||
                 it->get<std::string>().size() > 200)
          errors.push_back({"invalid_value", "password", "10 to 200 bytes"});
        else
          password = it->get<std::string>();
        if (!errors.empty()) return send_errors(c.res, errors);
        auto u = storage_->add_user(UserRecord{0, email, *role, hash_password(password), config_.clock()});
        if (!u) return send_error(c.res, "duplicate", "email", "a user with this e-mail exists");
        send_json(c.res, 201,
                  {{"id", u->id},
                   {"email", u->email},
                   {"role", to_string(u->role)},
                   {"created_at", iso_time(u->created_at)}});
      },
      config_.public_body_max);
  route("DELETE", "/v1/admin/users/{user_id}", Access::admin, [this](Ctx& c) {
    const auto parsed = path_id(c, 0, "user_id", "user");
    if (!parsed) return;
    const std::int64_t id = *parsed;
    if (!storage_->delete_user(id)) return send_error(c.res, "not_found", "user_id", "no such user");
    send_json(c.res, 200, {{"id", id}, {"deleted", true}});
  });
}

// ---- admin: follow-up items, promoters -------------------------------------------------

json follow_up_json(const FollowUp& f) {
  json notes = json::array();
  for (const auto& n : f.notes)
    notes.push_back(
        {{"id", n.id}, {"author", n.author}, {"text", n.text}, {"created_at", iso_time(n.created_at)}});
  return {
      {"response", response_json(f.response)},
      {"status", f.status},
      {"assignee", f.assignee_id ? json{{"id", *f.assignee_id}, {"email", f.assignee_email}} : json(nullptr)},
      {"updated_at", f.updated_at ? json(iso_time(f.updated_at)) : json(nullptr)},
      {"notes", notes}};
}

bool valid_status(const std::string& s) { return s == "new" || s == "contacted" || s == "resolved"; }

void Server::follow_up_routes() {
  auto response_id = [](Ctx& c) { return path_id(c, 1, "response_id", "response"); };
  route("GET", "/v1/admin/surveys/{id}/follow-ups", Access::analyst, [this](Ctx& c) {
    if (!live(c.params[0])) return send_error(c.res, "not_found", "", "no survey " + c.params[0]);
    FollowUpFilter f;
    f.survey_id = c.params[0];
    if (c.req.has_param("status")) {
      f.status = c.req.get_param_value("status");
      if (!valid_status(*f.status))
        return send_error(c.res, "invalid_value", "status", "new, contacted or resolved");
    }
    f.open_only = c.req.has_param("open") && c.req.get_param_value("open") != "0" &&
                  c.req.get_param_value("open") != "false";
    if (c.req.has_param("assignee")) {
      if (c.req.get_param_value("assignee") != "me")
        return send_error(c.res, "invalid_value", "assignee", "me");
      f.assignee_id =
          c.session && c.session->user_id ? *c.session->user_id : -1; // a token is nobody's assignee
    }
    std::size_t limit = 50;
    std::optional<std::int64_t> cursor;
    try {
      if (c.req.has_param("limit"))
        limit = std::clamp<std::size_t>(std::stoul(c.req.get_param_value("limit")), 1, 500);
      if (c.req.has_param("cursor")) cursor = std::stoll(c.req.get_param_value("cursor"));
    } catch (...) {
      return send_error(c.res, "invalid_format", "cursor", "limit and cursor are numbers");
    }
    auto items = storage_->follow_ups(f, cursor, limit + 1);
    json out = json::array();
    std::optional<std::int64_t> next;
    if (items.size() > limit) {
      items.pop_back();
      next = items.back().response.id;
    }
    for (const auto& i : items)
      out.push_back(follow_up_json(i));
    send_json(c.res, 200,
              {{"items", out}, {"next_cursor", next ? json(std::to_string(*next)) : json(nullptr)}});
  });
  route("GET", "/v1/admin/surveys/{id}/follow-ups/{response_id}", Access::analyst,
        [this, response_id](Ctx& c) {
          auto rid = response_id(c);
          if (!rid) return;
          auto f = storage_->follow_up(c.params[0], *rid, false);
          if (!f)
            return send_error(c.res, "not_found", "response_id",
                              "no follow-up item with this id in this survey");
          send_json(c.res, 200, follow_up_json(*f));
        });
  route(
      "PATCH", "/v1/admin/surveys/{id}/follow-ups/{response_id}", Access::analyst,
      [this, response_id](Ctx& c) {
        auto rid = response_id(c);
        if (!rid) return;
        auto body = json_body(c);
        if (!body) return;
        FollowUpChange ch;
        std::vector<ApiError> errors;
        for (auto it = body->begin(); it != body->end(); ++it) {
          const auto& k = it.key();
          if (k == "status") {
            if (!it->is_string() || !valid_status(it->get<std::string>()))
              errors.push_back({"invalid_value", "status", "new, contacted or resolved"});
            else
              ch.status = it->get<std::string>();
          } else if (k == "assignee_id") {
            if (it->is_null())
              ch.assignee_id = std::optional<std::int64_t>();
            else if (*it == "me") {
              if (!c.session || !c.session->user_id)
                errors.push_back({"invalid_value", "assignee_id", "only a signed-in user is \"me\""});
              else
                ch.assignee_id = c.session->user_id;
            } else if (auto n = nps::as_integer(*it)) {
              const auto all = storage_->users();
              if (std::none_of(all.begin(), all.end(), [&](const UserRecord& u) { return u.id == *n; }))
                errors.push_back({"invalid_value", "assignee_id", "no user with this id"});
              else
                ch.assignee_id = std::optional<std::int64_t>(*n);
            } else
              errors.push_back({"invalid_type", "assignee_id", "a user id, \"me\" or null"});
          } else if (k == "note") {
            if (!it->is_string() || it->get<std::string>().empty() || it->get<std::string>().size() > 4000 ||
                !nps::is_valid_utf8(it->get<std::string>()))
              errors.push_back({"invalid_value", "note", "a text of 1 to 4000 bytes"});
            else
              ch.note = FollowUpNote{0, c.token->name, it->get<std::string>(), 0};
          } else
            errors.push_back({"unknown_field", k, "status, assignee_id and note"});
        }
        if (!errors.empty()) return send_errors(c.res, errors);
        auto f = storage_->change_follow_up(c.params[0], *rid, false, ch, config_.clock());
        if (!f)
          return send_error(c.res, "not_found", "response_id",
                            "no follow-up item with this id in this survey");
        send_json(c.res, 200, follow_up_json(*f));
      },
      config_.public_body_max);
  route(
      "POST", "/v1/admin/surveys/{id}/follow-ups/{response_id}/notes", Access::analyst,
      [this, response_id](Ctx& c) {
        auto rid = response_id(c);
        if (!rid) return;
        auto body = json_body(c);
        if (!body) return;
        auto it = body->find("text");
        if (it == body->end() || !it->is_string() || it->get<std::string>().empty() ||
            it->get<std::string>().size() > 4000 || !nps::is_valid_utf8(it->get<std::string>()))
          return send_error(c.res, it == body->end() ? "required" : "invalid_value", "text",
                            "a text of 1 to 4000 bytes");
        FollowUpChange ch;
        ch.note = FollowUpNote{0, c.token->name, it->get<std::string>(), 0};
        auto f = storage_->change_follow_up(c.params[0], *rid, false, ch, config_.clock());
        if (!f)
          return send_error(c.res, "not_found", "response_id",
                            "no follow-up item with this id in this survey");
        send_json(c.res, 201, follow_up_json(*f));
      },
      config_.public_body_max);

  // Promoters who left a contact: for review requests and referral programmes.
  route("GET", "/v1/admin/surveys/{id}/promoters", Access::analyst, [this](Ctx& c) {
    if (!live(c.params[0])) return send_error(c.res, "not_found", "", "no survey " + c.params[0]);
    const auto format = c.req.has_param("format") ? c.req.get_param_value("format") : "json";
    if (format != "csv" && format != "json")
      return send_error(c.res, "invalid_value", "format", "csv or json");
    ResponseFilter f;
    f.survey_id = c.params[0];
    f.category = nps::Category::promoter;
    f.with_respondent = true;
    std::vector<StoredResponse> all;
    std::optional<std::int64_t> cursor;
    do { // FIXME: stream like /export when promoter lists grow past tens of thousands
      auto page = storage_->list_responses(f, cursor, 500);
      for (auto& s : page.items)
        all.push_back(std::move(s));
      cursor = page.next;
    } while (cursor && all.size() < 100'000);
    if (format == "csv") {
      std::string out = "respondent_id,score,comment,received_at,channel,locale\r\n";
      for (const auto& s : all)
        out += csv_cell(s.response.respondent_id.value_or("")) + "," +
               std::to_string(s.response.score.value()) + "," + csv_cell(s.response.comment.value_or("")) +
               "," + iso_time(s.received_at) + "," + std::string(nps::to_string(s.response.channel)) + "," +
               csv_cell(s.response.locale.value_or("")) + "\r\n";
      c.res.set_header("Content-Disposition", "attachment; filename=\"" + f.survey_id + "-promoters.csv\"");
      return c.res.set_content(out, "text/csv; charset=utf-8");
    }
    json items = json::array();
    for (const auto& s : all)
      items.push_back(response_json(s));
    send_json(c.res, 200, {{"items", items}});
  });
}

// ---- admin: live (server-sent events) --------------------------------------------------

void Server::live_routes() {
  // Each new stored response of the survey as `event: response`; a comment line every
  // 15 s keeps proxies from closing the stream; the stream ends after 10 minutes and the
  // browser's EventSource reconnects. Viewers get the score and segments only.
  route("GET", "/v1/admin/surveys/{id}/live", Access::viewer, [this](Ctx& c) {
    if (!live(c.params[0])) return send_error(c.res, "not_found", "", "no survey " + c.params[0]);
    struct State {
      std::uint64_t seen = 0;
      bool started = false;
      Clock::time_point until;
    };
    auto state = std::make_shared<State>();
    {
      std::lock_guard lock(live_mu_);
      state->seen = live_seq_;
    }
    state->until = Clock::now() + std::chrono::minutes(10);
    const bool full = c.token->role >= Role::analyst;
    c.res.set_header("Cache-Control", "no-cache");
    c.res.set_header("X-Accel-Buffering", "no");
    c.res.set_chunked_content_provider("text/event-stream", [this, state, full, survey = c.params[0]](
                                                                std::size_t, httplib::DataSink& sink) {
      std::string out;
      if (!state->started) {
        state->started = true;
        out = "retry: 1000\n: connected\n\n";
        return sink.write(out.data(), out.size());
      }
      std::vector<StoredResponse> fresh;
      {
        std::unique_lock lock(live_mu_);
        live_cv_.wait_for(lock, std::chrono::seconds(15),
                          [&] { return live_stop_.load() || live_seq_ > state->seen; });
        if (live_stop_) return false;
        for (const auto& [seq, r] : recent_)
          if (seq > state->seen && r.response.survey_id == survey) fresh.push_back(r);
        state->seen = live_seq_;
      }
      for (const auto& r : fresh) {
        json j =
            full ? response_json(r)
                 : json{{"id", r.id},
                        {"score", r.response.score.value()},
                        {"category", std::string(nps::to_string(r.response.category()))},
                        {"channel", std::string(nps::to_string(r.response.channel))},
                        {"locale", r.response.locale ? json(*r.response.locale) : json(nullptr)},
                        {"device", r.response.device ? json(std::string(nps::to_string(*r.response.device)))
                                                     : json(nullptr)},
                        {"received_at", iso_time(r.received_at)}};
        out += "event: response\ndata: " + nps::dump(j) + "\n\n";
      }
      if (out.empty()) out = ": ping\n\n";
      if (!sink.write(out.data(), out.size())) return false;
      if (Clock::now() >= state->until) sink.done();
      return true;
    });
  });
}

} // namespace

std::unique_ptr<NpsServer> make_server(Config config) { return std::make_unique<Server>(std::move(config)); }

} // namespace npsd
