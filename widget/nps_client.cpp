// The native client: on-disk queue, config cache, worker thread. See nps_client.hpp.
//
// Sections: files · queue entries · Impl (worker) · Client
#include "nps_client.hpp"

#include "nps/json.hpp"

#include <httplib.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

namespace nps::client {
namespace fs = std::filesystem;
namespace {

// ---- files ----------------------------------------------------------------------------------

bool fsync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Writes `text` to `path` so that after a crash the file is either the old one or the new
// one, complete: a temp file beside it, fsync, rename over, fsync of the folder.
bool write_atomic(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  return fsync_dir(path.parent_path());
}

std::optional<std::string> read_text(const fs::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return std::nullopt;
  std::string out;
  char buf[8192];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    out.append(buf, n);
  std::fclose(f);
  return out;
}

bool remove_durably(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
  return !ec && fsync_dir(path.parent_path());
}

// ---- queue entries ----------------------------------------------------------------------------

// One pending request, one file: <dir>/queue/<seq, 16 digits>.json holding
// {"method": "POST"|"PATCH", "key": "...", "body": {...}}. Files are sent in seq order, so a
// key's POST always goes before its PATCH.
struct Entry {
  std::uint64_t seq = 0;
  std::string method;
  std::string key;
  json body;
  [[nodiscard]] std::string file_name() const {
    char name[32];
    std::snprintf(name, sizeof name, "%016llu.json", static_cast<unsigned long long>(seq));
    return name;
  }
};

json entry_json(const Entry& e) { return {{"method", e.method}, {"key", e.key}, {"body", e.body}}; }

std::optional<Entry> parse_entry(const fs::path& path) {
  const auto stem = path.stem().string();
  if (path.extension() != ".json" || stem.size() != 16 || !std::all_of(stem.begin(), stem.end(), ::isdigit))
    return std::nullopt;
  auto text = read_text(path);
  if (!text) return std::nullopt;
  auto j = parse_json(*text);
  if (!j || !j->is_object()) return std::nullopt;
  Entry e;
  e.seq = std::stoull(stem);
  const json& v = *j;
  if (!v.contains("method") || !v["method"].is_string() || !v.contains("key") || !v["key"].is_string() ||
      !v.contains("body") || !v["body"].is_object())
    return std::nullopt;
  e.method = v["method"].get<std::string>();
  e.key = v["key"].get<std::string>();
  e.body = v["body"];
  if (e.method != "POST" && e.method != "PATCH") return std::nullopt;
  return e;
}

// What a PATCH carries: the follow-up and the score (the server keeps the rest).
json patch_body(const Response& r) {
  json j = to_json(r);
  json p = json::object();
  p["score"] = r.score.value();
  p["comment"] = j.contains("comment") ? j["comment"] : json(nullptr);
  p["answers"] = j.contains("answers") ? j["answers"] : json::object();
  return p;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace

// ---- Impl (worker) ------------------------------------------------------------------------------

struct Client::Impl {
  Options opt;
  fs::path dir, queue_dir, failed_dir;

  mutable std::mutex mu;
  std::condition_variable cv;      // wakes the worker
  std::condition_variable changed; // wakes waiters (wait_persisted / wait_idle)
  bool stop = false;
  bool wake = false;
  bool want_config = true;
  std::int64_t config_at = 0;                         // steady ms: when the config may be fetched again
  bool persisting = false;                            // the worker holds sends not yet on disk
  std::size_t pending_count = 0;                      // pending.size(), readable under the mutex
  std::deque<std::pair<Response, SendMode>> incoming; // not yet on disk
  std::deque<std::function<void()>> tasks;            // small disk writes (visitor state)
  std::shared_ptr<const Survey> survey;
  std::string etag;
  VisitorState visitor;
  Status status;

  // Worker-only state.
  std::deque<Entry> pending; // on disk, in seq order
  std::uint64_t next_seq = 1;
  std::chrono::milliseconds backoff{0};
  std::int64_t retry_at = 0; // steady ms
  std::unique_ptr<httplib::Client> http;
  std::thread worker;

  httplib::Client& client() {
    if (!http) {
      http = std::make_unique<httplib::Client>(opt.base_url);
      http->set_tcp_nodelay(true);
      http->set_keep_alive(true);
      const auto c = opt.connect_timeout.count(), r = opt.read_timeout.count();
      http->set_connection_timeout(static_cast<time_t>(c / 1000), static_cast<time_t>((c % 1000) * 1000));
      http->set_read_timeout(static_cast<time_t>(r / 1000), static_cast<time_t>((r % 1000) * 1000));
      http->set_write_timeout(static_cast<time_t>(r / 1000), static_cast<time_t>((r % 1000) * 1000));
    }
    return *http;
  }

  void load_state() {
    if (auto text = read_text(dir / "config.json")) {
      if (auto j = parse_json(*text); j && j->is_object() && j->contains("survey")) {
        if (auto s = parse_survey((*j)["survey"])) {
          survey = std::make_shared<const Survey>(std::move(s).value());
          etag = j->value("etag", std::string());
        }
      }
    }
    if (auto text = read_text(dir / "visitor.json")) {
      if (auto j = parse_json(*text)) {
        if (auto v = parse_visitor(*j)) visitor = std::move(v).value();
      }
    }
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(queue_dir, ec)) {
      if (!f.is_regular_file()) continue;
      if (auto e = parse_entry(f.path()))
        pending.push_back(std::move(*e));
      else if (f.path().filename().string().rfind(".", 0) == 0)
        fs::remove(f.path(), ec); // a temp file of a crash
    }
    std::sort(pending.begin(), pending.end(), [](const Entry& a, const Entry& b) { return a.seq < b.seq; });
    if (!pending.empty()) next_seq = pending.back().seq + 1;
    pending_count = pending.size();
    status.pending = pending_count;
    status.have_config = survey != nullptr;
  }

  bool persist_visitor(const VisitorState& v) {
    return write_atomic(dir / "visitor.json", dump(visitor_json(v)));
  }

  // Writes new sends to disk, folding updates into what is still waiting.
  void persist(std::deque<std::pair<Response, SendMode>>& batch) {
    for (auto& [r, mode] : batch) {
      const std::string& key = r.idempotency_key;
      if (mode == SendMode::create) {
        Entry e{next_seq++, "POST", key, to_json(r)};
        if (write_atomic(queue_dir / e.file_name(), dump(entry_json(e))))
          pending.push_back(std::move(e));
        else
          note_error("cannot write the queue in " + queue_dir.string());
        continue;
      }
      // An update: into the unsent POST of the key, else replacing an unsent PATCH, else new.
      auto post = std::find_if(pending.begin(), pending.end(),
                               [&](const Entry& e) { return e.key == key && e.method == "POST"; });
      if (post != pending.end()) {
        post->body = to_json(r);
        if (!write_atomic(queue_dir / post->file_name(), dump(entry_json(*post))))
          note_error("cannot write the queue in " + queue_dir.string());
        continue;
      }
      Entry e{next_seq++, "PATCH", key, patch_body(r)};
      if (!write_atomic(queue_dir / e.file_name(), dump(entry_json(e)))) {
        note_error("cannot write the queue in " + queue_dir.string());
        continue;
      }
      auto older = std::find_if(pending.begin(), pending.end(),
                                [&](const Entry& x) { return x.key == key && x.method == "PATCH"; });
      if (older != pending.end()) {
        remove_durably(queue_dir / older->file_name());
        pending.erase(older);
      }
      pending.push_back(std::move(e));
    }
    batch.clear();
  }

  void note_error(std::string message) {
    std::lock_guard lock(mu);
    status.last_error = std::move(message);
  }

  void fetch_config() {
    httplib::Headers h;
    std::string known;
    {
      std::lock_guard lock(mu);
      known = etag;
    }
    if (!known.empty()) h.emplace("If-None-Match", known);
    auto res = client().Get(("/v1/surveys/" + url_encode(opt.survey_id) + "/config").c_str(), h);
    std::lock_guard lock(mu);
    if (!res) {
      status.online = false;
      status.last_error = "config: " + httplib::to_string(res.error());
      config_at = steady_ms() + std::max<std::int64_t>(opt.backoff_min.count(), 1000);
      http.reset();
      return;
    }
    status.online = true;
    status.config_fetches++;
    status.config_not_modified = res->status == 304;
    if (res->status == 304) {
      want_config = false;
      return;
    }
    if (res->status != 200) {
      status.last_error = "config: HTTP " + std::to_string(res->status) + " " + res->body;
      want_config = false;
      return;
    }
    auto j = parse_json(res->body);
    if (!j) {
      status.last_error = "config: not JSON";
      want_config = false;
      return;
    }
    auto s = parse_survey(*j);
    if (!s) {
      status.last_error = "config: " + describe(s.error());
      want_config = false;
      return;
    }
    survey = std::make_shared<const Survey>(std::move(s).value());
    etag = res->get_header_value("ETag");
    status.have_config = true;
    want_config = false;
    const json cache = {{"etag", etag}, {"survey", *j}};
    write_atomic(dir / "config.json", dump(cache));
  }

  enum class Sent { ok, retry, failed };

  Sent send_one(const Entry& e) {
    const std::string base = "/v1/surveys/" + url_encode(opt.survey_id) + "/responses";
    const std::string body = dump(e.body);
    auto res = e.method == "POST"
                   ? client().Post(base.c_str(), body, "application/json")
                   : client().Patch((base + "/" + url_encode(e.key)).c_str(), body, "application/json");
    std::lock_guard lock(mu);
    if (!res) {
      status.online = false;
      status.last_error = e.method + " " + e.key + ": " + httplib::to_string(res.error());
      http.reset(); // a fresh connection next time
      return Sent::retry;
    }
    status.online = true;
    const int code = res->status;
    if (code == 200 || code == 201) {
      status.last_error.clear();
      return Sent::ok;
    }
    status.last_error = e.method + " " + e.key + ": HTTP " + std::to_string(code) + " " + res->body;
    if (code == 408 || code == 429 || code >= 500) return Sent::retry;
    // Rejected for good: keep it for people to look at, never retry.
    std::error_code ec;
    fs::create_directories(failed_dir, ec);
    write_atomic(failed_dir / e.file_name(),
                 dump(json{{"request", entry_json(e)}, {"status", code}, {"answer", res->body}}));
    return Sent::failed;
  }

  void run() {
    std::unique_lock lock(mu);
    for (;;) {
      // Sleep until there is something to do now.
      const bool config_due = want_config && opt.fetch_config;
      const auto has_work = [&] {
        if (stop || wake || !incoming.empty() || !tasks.empty()) return true;
        if (config_due && steady_ms() >= config_at) return true;
        return !pending.empty() && steady_ms() >= retry_at;
      };
      if (!has_work()) {
        std::int64_t until = -1;
        if (!pending.empty()) until = retry_at;
        if (config_due) until = until < 0 ? config_at : std::min(until, config_at);
        if (until >= 0)
          cv.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(1, until - steady_ms())));
        else
          cv.wait(lock);
        continue;
      }
      if (stop) return;
      if (wake) {
        wake = false;
        retry_at = 0;
        config_at = 0;
      }
      // 1. Disk first: what the app sent must survive a crash before anything else happens.
      auto batch = std::move(incoming);
      incoming.clear();
      auto jobs = std::move(tasks);
      tasks.clear();
      persisting = true;
      lock.unlock();
      if (!batch.empty()) persist(batch);
      for (auto& job : jobs)
        job();
      lock.lock();
      persisting = false;
      pending_count = pending.size();
      status.pending = pending_count + incoming.size();
      changed.notify_all();
      if (stop) return;
      // 2. The config, when due.
      if (want_config && opt.fetch_config && steady_ms() >= config_at) {
        lock.unlock();
        fetch_config();
        lock.lock();
        changed.notify_all();
        continue;
      }
      // 3. The queue, oldest first, until it is empty or the network fails.
      if (pending.empty() || steady_ms() < retry_at) continue;
      const Entry head = pending.front();
      lock.unlock();
      const Sent r = send_one(head);
      if (r != Sent::retry) remove_durably(queue_dir / head.file_name());
      lock.lock();
      if (r == Sent::retry) {
        backoff = backoff.count() == 0 ? opt.backoff_min : std::min(backoff * 2, opt.backoff_max);
        static thread_local std::mt19937 rng{std::random_device{}()};
        const auto jitter = std::uniform_int_distribution<std::int64_t>(0, backoff.count() / 4)(rng);
        retry_at = steady_ms() + backoff.count() + jitter;
      } else {
        backoff = std::chrono::milliseconds(0);
        retry_at = 0;
        if (!pending.empty() && pending.front().seq == head.seq) pending.pop_front();
        (r == Sent::ok ? status.delivered : status.failed)++;
      }
      pending_count = pending.size();
      status.pending = pending_count + incoming.size();
      changed.notify_all();
    }
  }
};

// ---- Client -------------------------------------------------------------------------------------

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Client::~Client() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->cv.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
  // Sends the worker had not written yet are written now, so they are not lost.
  if (!impl_->incoming.empty()) impl_->persist(impl_->incoming);
}

Result<std::unique_ptr<Client>> Client::open(Options options) {
  if (options.base_url.empty()) return Error{ErrorCode::required, "base_url", "the server's URL is needed"};
  if (options.survey_id.empty()) return Error{ErrorCode::required, "survey_id", "the survey id is needed"};
  if (options.dir.empty()) return Error{ErrorCode::required, "dir", "a folder for the queue is needed"};
  auto impl = std::make_unique<Impl>();
  impl->opt = std::move(options);
  impl->dir = impl->opt.dir;
  impl->queue_dir = impl->dir / "queue";
  impl->failed_dir = impl->dir / "failed";
  std::error_code ec;
  fs::create_directories(impl->queue_dir, ec);
  if (ec || !fs::is_directory(impl->queue_dir))
    return Error{ErrorCode::invalid_value, "dir",
                 "cannot create " + impl->queue_dir.string() + ": " + ec.message()};
  impl->load_state();
  if (impl->visitor.visitor_id.empty()) {
    impl->visitor.visitor_id = new_idempotency_key();
    impl->visitor.first_seen = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    if (!impl->persist_visitor(impl->visitor))
      return Error{ErrorCode::invalid_value, "dir", "cannot write " + (impl->dir / "visitor.json").string()};
  }
  impl->want_config = impl->opt.fetch_config;
  Impl* raw = impl.get();
  try {
    impl->worker = std::thread([raw] { raw->run(); });
  } catch (...) {
    return Error{ErrorCode::invalid_value, "", "cannot start the client's worker thread"};
  }
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

std::shared_ptr<const Survey> Client::survey() const {
  std::lock_guard lock(impl_->mu);
  return impl_->survey;
}

void Client::refresh_config() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->want_config = true;
  }
  impl_->cv.notify_all();
}

Decision Client::eligibility(const PageContext& page) const {
  std::shared_ptr<const Survey> s;
  VisitorState v;
  {
    std::lock_guard lock(impl_->mu);
    s = impl_->survey;
    v = impl_->visitor;
  }
  if (!s) {
    Decision d;
    d.verdict = Verdict::no;
    d.code = "no_config";
    d.reason = "the survey's configuration has not been fetched yet";
    return d;
  }
  return decide(*s, v, page);
}

Decision Client::eligibility(std::int64_t now_ms) const {
  PageContext page;
  page.now = now_ms;
  return eligibility(page);
}

VisitorState Client::visitor() const {
  std::lock_guard lock(impl_->mu);
  return impl_->visitor;
}

// What the event changes in the visitor is the core's rule (record_visit), as in the loader.
void Client::note(VisitEvent event, std::int64_t now_ms) {
  std::lock_guard lock(impl_->mu);
  record_visit(impl_->visitor, impl_->opt.survey_id, event, now_ms);
  VisitorState copy = impl_->visitor;
  Impl* raw = impl_.get();
  impl_->tasks.push_back([raw, copy] { raw->persist_visitor(copy); });
  // The funnel counts the survey shown or dismissed (a count, nothing about who): one try,
  // not kept on disk — a lost count is not a lost answer.
  if (event != VisitEvent::answered)
    impl_->tasks.push_back([raw, event] {
      const std::string body = event == VisitEvent::shown ? "shown" : "dismissed";
      raw->client().Post(("/v1/surveys/" + url_encode(raw->opt.survey_id) + "/impressions").c_str(),
                         R"({"event":")" + body + R"(","channel":"app"})", "application/json");
    });
  impl_->cv.notify_all();
}
void Client::note_shown(std::int64_t now_ms) { note(VisitEvent::shown, now_ms); }
void Client::note_answered(std::int64_t now_ms) { note(VisitEvent::answered, now_ms); }
void Client::note_dismissed(std::int64_t now_ms) { note(VisitEvent::dismissed, now_ms); }

FlowStart Client::new_session(std::vector<std::string> languages, std::int64_t now_ms) const {
  FlowStart s;
  s.idempotency_key = new_idempotency_key();
  s.languages = std::move(languages);
  s.channel = Channel::app;
  s.respondent_id = visitor().visitor_id;
  s.client_time = now_ms;
  return s;
}

std::string Client::new_idempotency_key() {
  static std::mutex m;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard lock(m);
  char buf[32];
  std::snprintf(buf, sizeof buf, "app-%012llx%012llx",
                static_cast<unsigned long long>(rng() & 0xFFFFFFFFFFFFull),
                static_cast<unsigned long long>(rng() & 0xFFFFFFFFFFFFull));
  return buf;
}

void Client::send(const Response& response, SendMode mode) {
  if (mode == SendMode::none) return;
  {
    std::lock_guard lock(impl_->mu);
    impl_->incoming.emplace_back(response, mode);
    impl_->status.pending++;
  }
  impl_->cv.notify_all();
}

void Client::retry_now() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->wake = true;
  }
  impl_->cv.notify_all();
}

Status Client::status() const {
  std::lock_guard lock(impl_->mu);
  return impl_->status;
}

bool Client::wait_persisted(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mu);
  return impl_->changed.wait_for(
      lock, timeout, [&] { return impl_->incoming.empty() && impl_->tasks.empty() && !impl_->persisting; });
}

bool Client::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mu);
  return impl_->changed.wait_for(lock, timeout, [&] {
    return impl_->incoming.empty() && impl_->tasks.empty() && !impl_->persisting && impl_->pending_count == 0;
  });
}

} // namespace nps::client
