// npsd: the OpenNPS server. Flags win over environment variables, which win over defaults.
#include "auth.hpp"
#include "demo_data.hpp"
#include "migrate.hpp"
#include "params.hpp"
#include "server.hpp"
#include "sqlite_file_use.hpp"
#include "storage_open.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>

namespace {

constexpr std::string_view usage = R"(usage: npsd [options]

  --listen HOST:PORT      where to listen (NPSD_LISTEN, default 127.0.0.1:8080)
  --db PATH|URL           SQLite database file, or postgresql://user@host:port/db
                          (NPSD_DB, default ./data/npsd.sqlite3)
  --web-root DIR          static files to serve (NPSD_WEB_ROOT, default web/dist of the
                          repository or web/ beside the binary, when it exists)
  --allowed-origins LIST  comma-separated origins allowed to call the admin API from a
                          browser (NPSD_ALLOWED_ORIGINS; public endpoints use each survey's
                          allowed_origins)
  --admin-token SECRET    make SECRET an admin token (NPSD_ADMIN_TOKEN; prefer the variable:
                          flags are visible to other users in the process list)
  --retention-days N      anonymise answers older than N days, hourly (NPSD_RETENTION_DAYS)
  --retention-mode MODE   anonymize (default) or remove (NPSD_RETENTION_MODE)
  --threads N             connection threads (NPSD_THREADS, default 512); at most a quarter
                          of them serve /live event streams, and 8 per token or user
  --secure-cookies        mark the session cookie Secure: browsers reach npsd over HTTPS,
                          through a proxy that terminates TLS (NPSD_SECURE_COOKIES=1)
  --trusted-proxy LIST    comma-separated addresses of reverse proxies whose
                          X-Forwarded-For (the client's address, for the sign-in limits)
                          and X-Forwarded-Proto (https: Secure cookie) are believed; the
                          flag may be repeated (NPSD_TRUSTED_PROXIES)
  --twilio-auth-token T   the Twilio account's auth token: SMS replies posted to
                          /v1/sms/twilio?survey=ID are accepted only when signed with it
                          (NPSD_TWILIO_AUTH_TOKEN; prefer the variable)
  --sms-public-url URL    the public base URL Twilio calls, as configured there
                          (https://nps.example.com; NPSD_SMS_PUBLIC_URL): the signature
                          covers the URL, which a proxy in front of npsd does not show
  --sms-followup-minutes N  a number's next message within N minutes of its score is the
                          follow-up comment (NPSD_SMS_FOLLOWUP_MINUTES, default 1440)
  --quiet                 no per-request log lines
  --webhooks-allow-private  let webhooks reach loopback, private (RFC 1918, ULA), link-local
                          and CGNAT addresses (NPSD_WEBHOOKS_ALLOW_PRIVATE=1); cloud
                          metadata, multicast and reserved addresses stay refused
  --webhooks-timeout-ms N one webhook attempt's timeout (default 15000)
  --webhooks-time-scale X TESTS ONLY: multiply the webhook retry schedule by X (0 < X <= 1)
  --digest-check-seconds N  how often to look for an ended week to send its weekly digest
                          (default 600; digests go to endpoints that take digest.weekly)
  --no-webhooks           deliver no webhooks from this process (another npsd on the same
                          PostgreSQL database does)
  --public-url URL        npsd's address as users reach it: links in e-mails, QR codes,
                          Slack and Teams alerts (NPSD_PUBLIC_URL)
  --demo-data             on start, when the database has no survey yet, fill it with
                          synthetic answers first (NPSD_DEMO_DATA=1; see demo-data below)

  Environment only: NPSD_LINK_SECRET (32+ bytes signing links; default: one made on first
  start and kept in the database); NPSD_SMTP_URL (smtp://relay:587 or smtps://relay:465),
  NPSD_SMTP_USER, NPSD_SMTP_PASSWORD, NPSD_SMTP_STARTTLS=1 (require STARTTLS on smtp://),
  NPSD_MAIL_FROM (surveys@example.com) and NPSD_MAIL_FROM_NAME: campaigns are sent only
  when NPSD_SMTP_URL and NPSD_MAIL_FROM are set.

  npsd demo-data --db PATH [--count N]
                          fill the database with realistic synthetic answers (survey
                          acme-app, N answers over 180 days, default 6000) and exit

  npsd migrate --from PATH.sqlite3 --to postgresql://…
                          copy everything into another database (users, tokens, surveys,
                          answers, follow-ups), then verify counts per survey; run it again
                          to finish an interrupted copy: nothing is stored twice

  npsd token create --role ROLE [--name NAME] [--db PATH|URL]
                          make a new API token (admin, editor, analyst or viewer), print it
                          once on standard output and exit; works while npsd runs on the
                          same database (the way back in when the admin token is lost)

On first start, with no token in the database and none given, npsd creates an admin token,
prints it once on standard output and keeps only its SHA-256 hash.
)";

std::string env(const char* name, std::string fallback = {}) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string default_web_root(const char* argv0) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> candidates = {"web/dist"};
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) exe = fs::absolute(argv0, ec);
  if (!exe.empty()) {
    candidates.push_back(exe.parent_path() / "web");
    candidates.push_back(exe.parent_path() / "../../../web/dist"); // build/native/backend/npsd
  }
  for (const auto& c : candidates)
    if (fs::is_directory(c, ec)) return fs::weakly_canonical(c, ec).string();
  return {};
}

} // namespace

int demo_data(int argc, char** argv) {
  std::string db = env("NPSD_DB", "./data/npsd.sqlite3");
  npsd::DemoOptions options;
  for (int i = 2; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "npsd demo-data: " << a << " needs a value\n";
      return 2;
    }
    if (a == "--db")
      db = argv[++i];
    else if (a == "--count") {
      const auto n = npsd::parse_int(argv[++i], 1, 100'000'000);
      if (n.problem != npsd::IntProblem::none) {
        std::cerr << "npsd demo-data: --count is a whole number from 1 to 100000000\n";
        return 2;
      }
      options.count = static_cast<std::size_t>(n.value);
    } else {
      std::cerr << "npsd demo-data: unknown option " << a << "\n";
      return 2;
    }
  }
  try {
    const auto parent = std::filesystem::path(db).parent_path();
    if (!npsd::is_postgres_url(db) && !parent.empty()) std::filesystem::create_directories(parent);
    auto storage = npsd::open_storage(db);
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto n = npsd::fill_demo_data(*storage, now, options);
    std::cout << "npsd demo-data: " << n << " answers stored in survey " << options.survey_id << " (" << db
              << ")\n";
  } catch (const std::exception& e) {
    std::cerr << "npsd demo-data: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

// npsd token create --role ROLE [--name NAME] [--db PATH]: a new token, printed once.
int token_create(int argc, char** argv) {
  std::string db = env("NPSD_DB", "./data/npsd.sqlite3");
  std::optional<npsd::Role> role;
  std::string name = "created on the command line";
  if (argc < 3 || std::string_view(argv[2]) != "create") {
    std::cerr << "npsd token: usage: npsd token create --role admin|editor|analyst|viewer [--name NAME] "
                 "[--db PATH]\n";
    return 2;
  }
  for (int i = 3; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "npsd token create: " << a << " needs a value\n";
      return 2;
    }
    if (a == "--db")
      db = argv[++i];
    else if (a == "--name")
      name = argv[++i];
    else if (a == "--role") {
      role = npsd::role_from_string(argv[++i]);
      if (!role) {
        std::cerr << "npsd token create: --role is admin, editor, analyst or viewer\n";
        return 2;
      }
    } else {
      std::cerr << "npsd token create: unknown option " << a << "\n";
      return 2;
    }
  }
  if (!role) {
    std::cerr << "npsd token create: --role is required (admin, editor, analyst or viewer)\n";
    return 2;
  }
  if (name.empty() || name.size() > 100) {
    std::cerr << "npsd token create: --name is 1 to 100 bytes\n";
    return 2;
  }
  try {
    if (!npsd::is_postgres_url(db) && !std::filesystem::exists(db)) {
      std::cerr << "npsd token create: no database at " << db << " (give --db or NPSD_DB)\n";
      return 1;
    }
    auto storage = npsd::open_storage(db);
    const auto secret = npsd::new_token_secret();
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto t = storage->add_token(npsd::TokenRecord{0, npsd::sha256_hex(secret), *role, name, now});
    std::cout << secret << "\n";
    std::cerr << "npsd token create: token " << t.id << " (" << npsd::to_string(*role)
              << ") stored; it is shown only this once\n";
  } catch (const std::exception& e) {
    std::cerr << "npsd token create: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "demo-data") return demo_data(argc, argv);
  if (argc > 1 && std::string_view(argv[1]) == "migrate") return npsd::migrate_main(argc, argv);

  if (argc > 1 && std::string_view(argv[1]) == "token") return token_create(argc, argv);
  npsd::Config config;
  std::string listen = env("NPSD_LISTEN", "127.0.0.1:8080");
  config.database = env("NPSD_DB", config.database);
  config.web_root = env("NPSD_WEB_ROOT");
  std::string origins = env("NPSD_ALLOWED_ORIGINS");
  config.admin_token = env("NPSD_ADMIN_TOKEN");
  config.public_url = env("NPSD_PUBLIC_URL");   // issue 14: where links and QR codes point
  config.link_secret = env("NPSD_LINK_SECRET"); // issue 14: signs links (32+ bytes)
  config.smtp_url = env("NPSD_SMTP_URL");       // issue 14: the relay campaigns are sent through
  config.smtp_username = env("NPSD_SMTP_USER");
  config.smtp_password = env("NPSD_SMTP_PASSWORD");
  config.smtp_starttls = env("NPSD_SMTP_STARTTLS", "0") == "1";
  config.mail_from = env("NPSD_MAIL_FROM");
  config.mail_from_name = env("NPSD_MAIL_FROM_NAME");
  std::string retention_days = env("NPSD_RETENTION_DAYS", "0");
  std::string retention_mode = env("NPSD_RETENTION_MODE", "anonymize");
  std::string threads = env("NPSD_THREADS", "512");
  bool demo = env("NPSD_DEMO_DATA", "0") == "1";
  config.secure_cookies = env("NPSD_SECURE_COOKIES", "0") == "1";
  std::string proxies = env("NPSD_TRUSTED_PROXIES");
  config.webhooks.allow_private = env("NPSD_WEBHOOKS_ALLOW_PRIVATE", "0") == "1";
  config.webhooks.public_url = env("NPSD_PUBLIC_URL");
  std::string hook_timeout = "15000", hook_scale = "1", digest_seconds = "600";
  config.twilio_auth_token = env("NPSD_TWILIO_AUTH_TOKEN");
  config.sms_public_url = env("NPSD_SMS_PUBLIC_URL");
  std::string sms_minutes = env("NPSD_SMS_FOLLOWUP_MINUTES", "1440");

  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "npsd: " << a << " needs a value\n\n" << usage;
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--listen")
      listen = value();
    else if (a == "--db")
      config.database = value();
    else if (a == "--web-root")
      config.web_root = value();
    else if (a == "--allowed-origins")
      origins = value();
    else if (a == "--admin-token")
      config.admin_token = value();
    else if (a == "--retention-days")
      retention_days = value();
    else if (a == "--retention-mode")
      retention_mode = value();
    else if (a == "--threads")
      threads = value();
    else if (a == "--secure-cookies")
      config.secure_cookies = true;
    else if (a == "--trusted-proxy")
      proxies += (proxies.empty() ? "" : ",") + value();
    else if (a == "--twilio-auth-token")
      config.twilio_auth_token = value();
    else if (a == "--sms-public-url")
      config.sms_public_url = value();
    else if (a == "--sms-followup-minutes")
      sms_minutes = value();
    else if (a == "--quiet")
      config.log_requests = false;
    else if (a == "--demo-data")
      demo = true;
    else if (a == "--webhooks-allow-private")
      config.webhooks.allow_private = true;
    else if (a == "--webhooks-timeout-ms")
      hook_timeout = value();
    else if (a == "--webhooks-time-scale")
      hook_scale = value();
    else if (a == "--digest-check-seconds")
      digest_seconds = value();
    else if (a == "--no-webhooks")
      config.webhooks.enabled = false;
    else if (a == "--public-url")
      config.webhooks.public_url = config.public_url = value();
    else if (a == "--help" || a == "-h") {
      std::cout << usage;
      return 0;
    } else {
      std::cerr << "npsd: unknown option " << a << "\n\n" << usage;
      return 2;
    }
  }

  // Numbers are read whole: "80x", "1e3" or " 8" are refused, not read in part.
  const auto colon = listen.rfind(':');
  const auto port = colon == std::string::npos ? npsd::IntParse{0, npsd::IntProblem::not_a_number}
                                               : npsd::parse_int(listen.substr(colon + 1), 0, 65535);
  const auto days = npsd::parse_int(retention_days, 0, 36500);
  const auto thread_count = npsd::parse_int(threads, 1, 100'000);
  if (port.problem != npsd::IntProblem::none || colon == 0) {
    std::cerr << "npsd: --listen is HOST:PORT, the port a number from 0 to 65535\n";
    return 2;
  }
  if (days.problem != npsd::IntProblem::none) {
    std::cerr << "npsd: --retention-days is a whole number of days from 0 to 36500\n";
    return 2;
  }
  if (thread_count.problem != npsd::IntProblem::none) {
    std::cerr << "npsd: --threads is a whole number from 1 to 100000\n";
    return 2;
  }
  const auto sms_window = npsd::parse_int(sms_minutes, 1, 60 * 24 * 30);
  if (sms_window.problem != npsd::IntProblem::none) {
    std::cerr << "npsd: --sms-followup-minutes is a whole number from 1 to 43200 (30 days)\n";
    return 2;
  }
  config.sms_followup_window = std::chrono::minutes(sms_window.value);
  if (!config.sms_public_url.empty() && config.sms_public_url.rfind("https://", 0) != 0 &&
      config.sms_public_url.rfind("http://", 0) != 0) {
    std::cerr << "npsd: --sms-public-url is an http:// or https:// URL\n";
    return 2;
  }
  config.host = listen.substr(0, colon);
  config.port = static_cast<int>(port.value);
  config.retention_days = static_cast<int>(days.value);
  config.limits.threads = static_cast<std::size_t>(thread_count.value);
  if (retention_mode != "anonymize" && retention_mode != "remove") {
    std::cerr << "npsd: --retention-mode is anonymize or remove\n";
    return 2;
  }
  config.retention_mode =
      retention_mode == "remove" ? npsd::RetentionMode::remove : npsd::RetentionMode::anonymize;
  const auto hook_ms = npsd::parse_int(hook_timeout, 100, 120'000);
  if (hook_ms.problem != npsd::IntProblem::none) {
    std::cerr << "npsd: --webhooks-timeout-ms is a whole number from 100 to 120000\n";
    return 2;
  }
  config.webhooks.timeout = std::chrono::milliseconds(hook_ms.value);
  const auto digest_check = npsd::parse_int(digest_seconds, 1, 86'400);
  if (digest_check.problem != npsd::IntProblem::none) {
    std::cerr << "npsd: --digest-check-seconds is a whole number from 1 to 86400\n";
    return 2;
  }
  config.webhooks.digest_interval = std::chrono::milliseconds(digest_check.value * 1000);
  {
    char* end = nullptr;
    const double scale = std::strtod(hook_scale.c_str(), &end);
    if (hook_scale.empty() || *end != '\0' || !(scale > 0.0 && scale <= 1.0)) {
      std::cerr << "npsd: --webhooks-time-scale is a number above 0 and at most 1\n";
      return 2;
    }
    config.webhooks.time_scale = scale;
  }
  config.allowed_origins = split(origins);
  config.trusted_proxies = split(proxies);
  if (config.web_root.empty()) config.web_root = default_web_root(argv[0]);

  // SIGTERM and SIGINT are taken by sigwait below, in this thread only: block them before
  // any other thread starts so none of those receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Declared before the server: held until every connection to the file is closed.
  std::optional<npsd::FileUse> file_use;
  std::unique_ptr<npsd::NpsServer> server;
  try {
    if (!npsd::is_postgres_url(config.database)) {
      const auto parent = std::filesystem::path(config.database).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
      std::string why;
      file_use = npsd::FileUse::take(config.database, npsd::FileUse::Mode::serve, why);
      if (!file_use) {
        std::cerr << "npsd: " << why << "\n";
        return 1;
      }
    }
    if (demo) { // before the server loads the surveys into memory
      auto storage = npsd::open_storage(config.database);
      if (storage->surveys().empty()) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        const auto n = npsd::fill_demo_data(*storage, now);
        std::cerr << R"({"level":"info","msg":"demo data","answers":)" << n << "}\n";
      }
    }
    server = npsd::make_server(config);
    server->start();
  } catch (const std::exception& e) {
    std::cerr << "npsd: " << e.what() << "\n";
    return 1;
  }
  if (auto token = server->created_admin_token())
    std::cout << "npsd: created the first admin API token. It is shown only this once; keep it:\n  " << *token
              << "\n"
              << std::flush;
  std::cerr << R"({"level":"info","msg":"listening","address":")" << config.host << ":" << server->port()
            << R"(","database":")" << config.database << R"(","web_root":")" << config.web_root << "\"}\n";

  int sig = 0;
  sigwait(&signals, &sig);
  std::cerr << R"({"level":"info","msg":"stopping: finishing requests in flight","signal":)" << sig << "}\n";
  server->stop();
  std::cerr << R"({"level":"info","msg":"stopped"})"
            << "\n";
  return 0;
}
