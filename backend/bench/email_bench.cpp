// email_bench: survey e-mails per second from npsd's campaign sender (outbox rows, three
// durable state changes per message, rendering, signing, libcurl SMTP) against the ceiling
// of a minimal sender (the same libcurl client sending one pre-built message in a loop, no
// database) to the same SMTP server, measured in one run. Not a test.
//
//   tests/email/bench.sh build/native/backend/email_bench [--messages 1000]
//   (starts the loopback SMTP server, tests/email/smtp_capture.py, and passes its URL)
//   build/native/backend/email_bench --smtp smtp://127.0.0.1:PORT [--messages 1000]
#include "email_render.hpp"
#include "email_store.hpp"
#include "server.hpp"
#include "smtp_sender.hpp"

#include "nps/survey.hpp"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>

using namespace npsd;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  std::string smtp_url;
  int messages = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--smtp"))
      smtp_url = argv[i + 1];
    else if (!std::strcmp(argv[i], "--messages"))
      messages = std::atoi(argv[i + 1]);
  }
  if (smtp_url.empty() || messages < 1) {
    std::fprintf(stderr, "usage: email_bench --smtp smtp://127.0.0.1:PORT [--messages N]\n");
    return 2;
  }

  // The ceiling: one pre-built message, sent N times over one kept-open connection.
  auto survey = nps::parse_survey({{"id", "bench"}, {"product", "Acme"}});
  std::vector<std::string> urls;
  for (int s = 0; s <= 10; ++s)
    urls.push_back("http://127.0.0.1/r/" + std::string(60, 'x') + std::to_string(s));
  const auto content = render_email(*survey, {"en"}, urls, "http://127.0.0.1/u/" + std::string(60, 'y'));
  const Envelope env{"Acme", "surveys@acme.test",   "Ceiling", "ceiling@example.com", "ceiling@acme.test",
                     0,      "http://127.0.0.1/u/y"};
  const std::string message = build_message(env, content, "=_bench");
  SmtpConfig smtp_config;
  smtp_config.url = smtp_url;
  SmtpClient minimal(smtp_config);
  const auto c0 = Clock::now();
  for (int i = 0; i < messages; ++i) {
    auto r = minimal.send("surveys@acme.test", "ceiling@example.com", message);
    if (r.outcome != SmtpOutcome::sent) {
      std::fprintf(stderr, "the minimal sender failed: %s (%ld)\n", r.error.c_str(), r.code);
      return 1;
    }
  }
  const double ceiling = messages / std::chrono::duration<double>(Clock::now() - c0).count();

  // npsd: a campaign of N contacts through the outbox.
  const auto dir = std::filesystem::temp_directory_path() / ("email-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Config config;
  config.port = 0;
  config.database = (dir / "npsd.sqlite3").string();
  config.admin_token = "email-bench-admin-token-0123456789";
  config.log_requests = false;
  config.smtp_url = smtp_url;
  config.mail_from = "surveys@acme.test";
  config.sender_idle = std::chrono::milliseconds(20);
  auto server = make_server(config);
  server->start();
  httplib::Client cl("127.0.0.1", server->port());
  const httplib::Headers auth = {{"Authorization", "Bearer " + config.admin_token}};
  cl.Post("/v1/admin/surveys", auth, R"({"id":"bench","product":"Acme"})", "application/json");
  std::string csv = "email,name,locale\n";
  for (int i = 0; i < messages; ++i)
    csv += "bench" + std::to_string(i) + "@example.com,Bench " + std::to_string(i) + ",en\n";
  cl.Post("/v1/admin/contacts/import", auth, nps::json{{"csv", csv}}.dump(), "application/json");
  const auto t0 = Clock::now();
  auto made = cl.Post("/v1/admin/campaigns", auth, R"({"survey_id":"bench"})", "application/json");
  if (!made || made->status != 201) {
    std::fprintf(stderr, "the campaign was refused\n");
    return 1;
  }
  std::uint64_t sent = 0;
  while (sent < static_cast<std::uint64_t>(messages)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    sent = 0;
    auto& store = server->storage().email();
    for (const auto& [state, n] : store.funnel(*store.campaign(1)).states)
      if (state == "sent") sent = n;
  }
  const double rate = messages / std::chrono::duration<double>(Clock::now() - t0).count();
  server->stop();
  std::filesystem::remove_all(dir);
  std::printf("messages: %d to %s\n", messages, smtp_url.c_str());
  std::printf("minimal sender (one pre-built message, no database): %.0f messages/s\n", ceiling);
  std::printf(
      "npsd campaign (outbox, render, sign, send, 3 durable marks each): %.0f messages/s (%.2f of the "
      "ceiling)\n",
      rate, rate / ceiling);
  return 0;
}
