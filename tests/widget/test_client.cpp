// The client against a real npsd on a loopback port: answers arrive; with the server down
// they queue on disk; the app is killed (-9) and restarted; the server comes back; every
// answer arrives exactly once. Checked through the admin API.
#include "nps_client.hpp"
#include "server.hpp"
#include "support.hpp"

#include "nps/flow.hpp"

#include <httplib.h>

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using nps::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kToken = "widget-test-admin-token-0123456789";

// npsd on a loopback port that survives a stop/start (same port, same database).
struct Npsd {
  npsd::test::TempDir dir;
  int port = 0;
  std::unique_ptr<npsd::NpsServer> server;

  void start() {
    npsd::Config c;
    c.host = "127.0.0.1";
    c.port = port;
    c.database = dir.file("npsd.sqlite3");
    c.admin_token = kToken;
    c.log_requests = false;
    server = npsd::make_server(std::move(c));
    server->start();
    port = server->port();
  }
  void stop() {
    server->stop();
    server.reset();
  }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
  [[nodiscard]] httplib::Client admin() const {
    httplib::Client c("127.0.0.1", port);
    c.set_tcp_nodelay(true);
    c.set_bearer_token_auth(kToken);
    return c;
  }
  void create_survey(const json& definition) const {
    auto r = admin().Post("/v1/admin/surveys", nps::dump(definition), "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 201);
  }
  // Every stored response of the survey, by idempotency key.
  [[nodiscard]] std::vector<json> responses(const std::string& survey) const {
    auto r = admin().Get(("/v1/admin/surveys/" + survey + "/responses?limit=500").c_str());
    REQUIRE(r);
    REQUIRE(r->status == 200);
    auto j = json::parse(r->body, nullptr, false);
    REQUIRE(j.is_object());
    return j["items"].get<std::vector<json>>();
  }
};

json survey_definition(const std::string& id) {
  return {{"id", id}, {"name", "App NPS"}, {"product", "Acme App"}, {"theme", {{"category_colors", true}}}};
}

template <class Pred> bool eventually(Pred p, int ms = 5000) {
  for (int i = 0; i < ms / 10; ++i) {
    if (p()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return p();
}

// A child process running the probe; its stdout is read line by line.
struct Child {
  pid_t pid = -1;
  std::FILE* out = nullptr;

  explicit Child(const std::vector<std::string>& args) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out = ::fdopen(fds[0], "r");
  }
  ~Child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (out) std::fclose(out);
  }
  // The next line that starts with `prefix` (other lines are collected in `lines`).
  std::string line_starting(const std::string& prefix) {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, out)) {
      std::string l(buf);
      if (!l.empty() && l.back() == '\n') l.pop_back();
      lines.push_back(l);
      if (l.rfind(prefix, 0) == 0) return l;
    }
    return "";
  }
  int kill9() {
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return status;
  }
  int wait() {
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::vector<std::string> lines;
};

std::size_t files_in(const fs::path& dir) {
  std::error_code ec;
  std::size_t n = 0;
  for (const auto& f : fs::directory_iterator(dir, ec))
    if (f.path().extension() == ".json") ++n;
  return n;
}

} // namespace

TEST_CASE("client: the score arrives at once, the follow-up updates it, config cached with ETag",
          "[widget][client]") {
  Npsd npsd;
  npsd.start();
  npsd.create_survey(survey_definition("app-nps"));
  npsd::test::TempDir home;

  nps::client::Options o{npsd.url(), "app-nps", home.file("nps")};
  auto opened = nps::client::Client::open(o);
  REQUIRE(opened.ok());
  auto client = std::move(opened).value();
  REQUIRE(eventually([&] { return client->survey() != nullptr; }));
  const auto survey = client->survey();
  CHECK(survey->product == "Acme App");
  CHECK(fs::exists(home.file("nps") + "/config.json"));
  CHECK_FALSE(client->status().config_not_modified);
  // Asking again sends the ETag: 304, the same survey object is kept.
  client->refresh_config();
  REQUIRE(eventually([&] { return client->status().config_fetches == 2; }));
  CHECK(client->status().config_not_modified);
  CHECK(client->survey() == survey);

  // Eligibility is the core's: a new visitor on a survey without rules may see it.
  nps::PageContext page;
  page.now = 1'763'000'000'000;
  auto d = client->eligibility(page);
  CHECK(d.verdict == nps::Verdict::show);
  client->note_shown(page.now);

  auto st = nps::start_flow(*survey, client->new_session({"ru", "en"}, page.now));
  REQUIRE(st.ok());
  auto t = nps::apply(*survey, *st, {nps::EventType::choose_score, 9});
  REQUIRE(t.ok());
  client->send(t->state.response, t->send);
  REQUIRE(client->wait_idle(std::chrono::seconds(5)));
  auto stored = npsd.responses("app-nps");
  REQUIRE(stored.size() == 1);
  CHECK(stored[0]["score"] == 9);
  CHECK(stored[0]["locale"] == "ru");
  CHECK(stored[0]["channel"] == "app");
  CHECK_FALSE(stored[0].contains("comment"));
  // The funnel counted the survey shown in the app (issue 19).
  auto app_shown = [&] {
    auto r = npsd.admin().Get("/v1/admin/surveys/app-nps/funnel");
    if (!r || r->status != 200) return json();
    const json f = json::parse(r->body);
    for (const auto& c : f["channels"])
      if (c["channel"] == "app") return c["shown"];
    return json();
  };
  CHECK(eventually([&] { return app_shown() == 1; }));

  auto t2 = nps::apply(*survey, t->state, {nps::EventType::answer, "Быстро и удобно"});
  REQUIRE(t2.ok());
  CHECK(t2->send == nps::SendMode::update);
  client->send(t2->state.response, t2->send);
  REQUIRE(client->wait_idle(std::chrono::seconds(5)));
  stored = npsd.responses("app-nps");
  REQUIRE(stored.size() == 1);
  CHECK(stored[0]["comment"] == "Быстро и удобно");
  CHECK(client->status().delivered == 2);
  CHECK(client->status().pending == 0);
  client->note_answered(page.now);
  REQUIRE(client->wait_persisted(std::chrono::seconds(5)));
  CHECK(client->eligibility(page).code == "answered_recently");

  // A restarted app has the config at once, from disk, even with the server gone.
  client.reset();
  npsd.stop();
  auto again = nps::client::Client::open(o);
  REQUIRE(again.ok());
  REQUIRE(again.value()->survey() != nullptr);
  CHECK(again.value()->survey()->id == "app-nps");
  CHECK(again.value()->eligibility(page).code == "answered_recently"); // visitor state kept too
}

TEST_CASE("client: offline answers queue on disk, survive kill -9, arrive exactly once",
          "[widget][client][slow]") {
  Npsd npsd;
  npsd.start();
  npsd.create_survey(survey_definition("crash-nps"));
  npsd::test::TempDir home;
  const std::string dir = home.file("app");
  const fs::path queue = fs::path(dir) / "queue";
  const std::string probe = NPS_CLIENT_PROBE;
  const auto args = [&](std::vector<std::string> more) {
    std::vector<std::string> a{probe, "--url", npsd.url(), "--survey", "crash-nps", "--dir", dir};
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };

  // 1. Online: one session goes through (its config is cached for the offline run).
  {
    Child c(args({"--sessions", "1", "--first", "0", "--drain", "10"}));
    // One POST, or a POST and a PATCH when the POST went out before the follow-up was queued.
    const auto drained = c.line_starting("drained");
    CHECK((drained == "drained 1 0 " || drained == "drained 2 0 "));
    CHECK(c.wait() == 0);
  }
  const auto first = npsd.responses("crash-nps");
  REQUIRE(first.size() == 1);
  CHECK(first[0]["comment"] == "answer 0");
  // Keep a copy of what a delivered request looked like, to replay it later as the file a
  // crash between "server acknowledged" and "file removed" would leave behind.

  // 2. The server goes down. Three sessions: each POST absorbs its follow-up, so three files.
  npsd.stop();
  Child offline(args({"--sessions", "3", "--first", "1"}));
  const auto queued = offline.line_starting("queued");
  INFO(queued);
  REQUIRE(queued == "queued 3");
  CHECK(files_in(queue) == 3);
  // Every file is complete JSON naming its method (atomic writes: no partial file).
  for (const auto& f : fs::directory_iterator(queue)) {
    std::FILE* fp = std::fopen(f.path().c_str(), "rb");
    std::string text(4096, '\0');
    text.resize(std::fread(text.data(), 1, text.size(), fp));
    std::fclose(fp);
    auto j = json::parse(text, nullptr, false);
    REQUIRE(j.is_object());
    CHECK(j["method"] == "POST");
    CHECK(j["body"]["comment"].get<std::string>().rfind("answer ", 0) == 0);
  }
  // 3. The app is killed while retrying against the dead server.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const int status = offline.kill9();
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  CHECK(files_in(queue) == 3);

  // A duplicate, as a crash right after an acknowledgement would leave: session 1's POST
  // copied under a later sequence number. The server must count it once.
  {
    fs::path first_file;
    for (const auto& f : fs::directory_iterator(queue))
      if (first_file.empty() || f.path() < first_file) first_file = f.path();
    fs::copy_file(first_file, queue / "0000000000009999.json");
  }
  CHECK(files_in(queue) == 4);

  // 4. The app restarts while the server is still down: nothing is lost, nothing sent.
  {
    Child c(args({}));
    CHECK(c.line_starting("queued") == "queued 4");
    c.kill9();
  }
  // 5. The server comes back (same port, same database); the app drains its queue.
  npsd.start();
  {
    Child c(args({"--drain", "20"}));
    const auto drained = c.line_starting("drained");
    INFO(drained);
    CHECK(drained == "drained 4 0 ");
    CHECK(c.wait() == 0);
  }
  CHECK(files_in(queue) == 0);

  // Every answer exactly once, with its follow-up.
  const auto stored = npsd.responses("crash-nps");
  std::map<std::string, int> by_key;
  for (const auto& r : stored)
    by_key[r["idempotency_key"].get<std::string>()]++;
  CHECK(stored.size() == 4);
  CHECK(by_key.size() == 4);
  for (const auto& [key, n] : by_key)
    CHECK(n == 1);
  for (const auto& r : stored) {
    const auto key = r["idempotency_key"].get<std::string>();
    const int k = std::stoi(key.substr(6, key.find('-', 6) - 6));
    CHECK(r["score"] == k % 11);
    CHECK(r["comment"] == "answer " + std::to_string(k));
  }
}

TEST_CASE("client: an update sent after its POST was delivered is a PATCH, and survives a restart",
          "[widget][client]") {
  Npsd npsd;
  npsd.start();
  npsd.create_survey(survey_definition("patch-nps"));
  npsd::test::TempDir home;
  nps::client::Options o{npsd.url(), "patch-nps", home.file("nps")};
  o.backoff_min = std::chrono::milliseconds(20);
  o.backoff_max = std::chrono::milliseconds(100);
  auto client = nps::client::Client::open(o).value();
  REQUIRE(eventually([&] { return client->survey() != nullptr; }));
  const auto survey = client->survey();
  auto st = nps::start_flow(*survey, client->new_session({"zh-CN"}, 1'763'000'000'000)).value();
  auto t = nps::apply(*survey, st, {nps::EventType::choose_score, 4}).value();
  client->send(t.state.response, t.send);
  REQUIRE(client->wait_idle(std::chrono::seconds(5)));

  npsd.stop();
  auto t2 = nps::apply(*survey, t.state, {nps::EventType::answer, "太慢了"}).value();
  client->send(t2.state.response, t2.send);
  REQUIRE(client->wait_persisted(std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(client->status().pending == 1);
  CHECK_FALSE(client->status().online);
  CHECK_FALSE(client->status().last_error.empty());
  client.reset(); // the app quits with the PATCH unsent

  npsd.start();
  auto back = nps::client::Client::open(o).value();
  REQUIRE(back->wait_idle(std::chrono::seconds(10)));
  const auto stored = npsd.responses("patch-nps");
  REQUIRE(stored.size() == 1);
  CHECK(stored[0]["score"] == 4);
  CHECK(stored[0]["comment"] == "太慢了");
  CHECK(stored[0]["locale"] == "zh-Hans");
}

TEST_CASE("client: bad options are errors, not exceptions", "[widget][client]") {
  CHECK_FALSE(nps::client::Client::open({}).ok());
  auto r = nps::client::Client::open({"http://127.0.0.1:9", "s", "/proc/nps-cannot-create"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().path == "dir");
}
