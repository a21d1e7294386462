// npsd's server: the Server's lifecycle (start, stop, retention), who is calling (API
// tokens and session cookies), the survey cache the public endpoints read, and the feed of
// new answers behind /live. Routing is in router.cpp, the routes in routes_<area>.cpp.
#include "server_internal.hpp"

#include "auth.hpp"
#include "nps/survey.hpp"
#include "storage_open.hpp"

#include <algorithm>
#include <random>

namespace npsd {

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
      live->privacy = s->privacy;
    }
  }
  return live;
}

bool origin_allowed(const std::vector<std::string>& origins, const std::string& origin) {
  if (origins.empty()) return true;
  return std::any_of(origins.begin(), origins.end(),
                     [&](const std::string& o) { return o == "*" || o == origin; });
}

Role required_role(Access a) {
  switch (a) {
  case Access::analyst: return Role::analyst;
  case Access::editor: return Role::editor;
  case Access::admin: return Role::admin;
  default: return Role::viewer;
  }
}

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

Server::Server(Config config)
    : config_(std::move(config)), storage_(open_storage(config_.database)), http_(config_.limits) {
  if (!config_.clock) config_.clock = system_millis;
  proxy_.trusted = config_.trusted_proxies;
  proxy_.always_https = config_.secure_cookies;
  // Each open stream holds a connection thread: by default at most a quarter of them.
  const std::size_t total_streams = config_.live_streams_total > 0
                                        ? config_.live_streams_total
                                        : std::max<std::size_t>(1, config_.limits.threads / 4);
  stream_slots_ = std::make_shared<StreamSlots>(config_.live_streams_per_caller, total_streams);
  for (const auto& rec : storage_->surveys())
    surveys_[rec.id] = make_live(rec);
  bootstrap_tokens();
  instance_ = random_hex(4);
  register_routes();
  watching_ = storage_->watch([this](const Change& c) { on_change(c); });
}

Server::~Server() {
  stop();
  if (watching_) storage_->watch({}); // the feed's thread uses members destroyed before storage_
}

void Server::start() {
  bind();
  thread_ = std::thread([this] { http_.listen_after_bind(); });
  // listen_after_bind returns only when stopped; wait until it accepts.
  while (!http_.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

bool Server::run() {
  bind();
  return http_.listen_after_bind();
}

void Server::stop() {
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
  if (digest_) digest_->stop();
  if (webhook_worker_) webhook_worker_->stop();
  if (retention_thread_.joinable()) {
    {
      std::lock_guard l(retention_mu_);
      retention_stop_ = true;
    }
    retention_cv_.notify_all();
    retention_thread_.join();
  }
  if (sender_thread_.joinable()) { // issue 14: the message being sent is finished first
    {
      std::lock_guard l(sender_mu_);
      sender_stop_ = true;
    }
    sender_cv_.notify_all();
    sender_thread_.join();
  }
}

void Server::bind() {
  if (config_.port == 0)
    port_ = http_.bind_to_any_port(config_.host);
  else
    port_ = http_.bind_to_port(config_.host, config_.port) ? config_.port : -1;
  if (port_ < 0)
    throw StorageError("cannot listen on " + config_.host + ":" + std::to_string(config_.port) +
                       " (is another npsd or program using it?)");
  http_.widen_backlog();
  if (config_.webhooks.enabled && !webhook_worker_) {
    WebhookOptions options = config_.webhooks;
    options.smtp.url = config_.smtp_url; // alerts by e-mail go through the campaigns' relay
    options.smtp.username = config_.smtp_username;
    options.smtp.password = config_.smtp_password;
    options.smtp.starttls = config_.smtp_starttls;
    options.mail_from = config_.mail_from;
    options.mail_from_name = config_.mail_from_name;
    options.privacy_of = [this](const std::string& survey) {
      const auto s = live(survey);
      return s ? s->privacy : nps::Privacy{};
    };
    webhook_worker_ = std::make_unique<WebhookWorker>(storage_->webhooks(), options, config_.clock);
    webhook_worker_->start();
    // Every process with a worker schedules digests; emit_once stores each week's once.
    digest_ = std::make_unique<digest::Scheduler>(*storage_, config_.clock, config_.webhooks.digest_interval);
    digest_->start();
  }
  if (config_.retention_days > 0 && !retention_thread_.joinable())
    retention_thread_ = std::thread([this] { retention_loop(); });
  if (!config_.smtp_url.empty() && !sender_thread_.joinable()) // issue 14
    sender_thread_ = std::thread([this] { sender_loop(); });
}

void Server::bootstrap_tokens() {
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

void Server::reload_tokens() {
  auto all = storage_->tokens();
  std::unique_lock lock(tokens_mu_);
  tokens_ = std::move(all);
}

// Every token's hash is compared, each in constant time, so the time taken does not
// reveal which one (if any) matched.
std::optional<TokenRecord> Server::authenticate(const httplib::Request& req) const {
  const auto header = req.get_header_value("Authorization");
  static constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) return std::nullopt;
  const auto hash = sha256_hex(std::string_view(header).substr(kBearer.size()));
  const auto find = [&] {
    std::optional<TokenRecord> found;
    std::shared_lock lock(tokens_mu_);
    for (const auto& t : tokens_)
      if (constant_time_equal(t.hash, hash) && !found) found = t;
    return found;
  };
  if (auto found = find()) return found;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
  auto last = tokens_reread_at_.load();
  if (now - last < 1000 || !tokens_reread_at_.compare_exchange_strong(last, now)) return std::nullopt;
  auto all = storage_->tokens();
  {
    std::unique_lock lock(tokens_mu_);
    tokens_ = std::move(all);
  }
  return find();
}

// A bearer token wins; otherwise the session cookie. A state-changing request made with
// the cookie must echo the session's CSRF token in X-CSRF-Token (a page on another
// origin cannot read it, so it cannot forge the request).
Server::Identity Server::identify(const httplib::Request& req) const {
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

std::string Server::cookie_value(const httplib::Request& req, std::string_view name) {
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

// The live feed: recently stored responses, for the server-sent events of /live.
void Server::announce(const StoredResponse& r) {
  {
    std::lock_guard lock(live_mu_);
    recent_.emplace_back(++live_seq_, r);
    while (recent_.size() > 1000)
      recent_.pop_front();
  }
  live_cv_.notify_all();
}

std::shared_ptr<const LiveSurvey> Server::live(const std::string& id) const {
  std::shared_lock lock(surveys_mu_);
  auto it = surveys_.find(id);
  return it == surveys_.end() ? nullptr : it->second;
}

void Server::publish(const SurveyRecord& rec) {
  auto l = make_live(rec);
  std::unique_lock lock(surveys_mu_);
  surveys_[rec.id] = std::move(l);
}

// What any npsd sharing the database committed (this one included): the survey cache, the
// tokens and the live streams follow it, so a survey edited through one process is served by
// all, and a stream on one process sees answers stored through another.
void Server::on_change(const Change& change) {
  try {
    switch (change.kind) {
    case Change::Kind::survey:
      if (auto rec = storage_->survey(change.survey_id)) publish(*rec);
      break;
    case Change::Kind::response: {
      // Read only for an open stream: a stream shows what is announced after it opened, so
      // with none open nothing is lost, and every process is spared a query per answer
      // stored by any of them (issue 18: most processes of a cluster watch no stream).
      if (stream_slots_->open() == 0) break;
      ResponseFilter f;
      f.survey_id = change.survey_id;
      auto page = storage_->list_responses(f, change.response_id + 1, 1);
      if (!page.items.empty() && page.items.front().id == change.response_id) announce(page.items.front());
      break;
    }
    case Change::Kind::tokens: reload_tokens(); break;
    case Change::Kind::resync:
      for (const auto& rec : storage_->surveys())
        publish(rec);
      reload_tokens();
      break;
    }
  } catch (const std::exception& e) {
    log_line({{"level", "error"}, {"msg", std::string("change feed: ") + e.what()}});
  }
}

void Server::retention_loop() {
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

std::unique_ptr<NpsServer> make_server(Config config) { return std::make_unique<Server>(std::move(config)); }

} // namespace npsd
