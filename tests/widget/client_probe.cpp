// A small app that uses the client, for the crash test: it runs N survey sessions through
// the core's flow (score, then a follow-up), hands every send to the client, waits until the
// sends are on disk, prints "queued", and then either waits to be killed or, with
// --drain, waits until the queue is empty and prints "drained <delivered> <failed>".
//
//   nps_client_probe --url U --survey S --dir D [--sessions N --first K] [--drain SECONDS]
#include "nps_client.hpp"

#include "nps/flow.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  nps::client::Options o;
  int sessions = 0, first = 0, drain = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--url")
      o.base_url = v;
    else if (a == "--survey")
      o.survey_id = v;
    else if (a == "--dir")
      o.dir = v;
    else if (a == "--sessions")
      sessions = std::atoi(v.c_str());
    else if (a == "--first")
      first = std::atoi(v.c_str());
    else if (a == "--drain")
      drain = std::atoi(v.c_str());
  }
  o.backoff_min = std::chrono::milliseconds(50);
  o.backoff_max = std::chrono::milliseconds(400);
  o.connect_timeout = std::chrono::milliseconds(300);
  auto opened = nps::client::Client::open(o);
  if (!opened) {
    std::fprintf(stderr, "probe: %s\n", nps::describe(opened.error()).c_str());
    return 2;
  }
  auto client = std::move(opened).value();

  // The survey as the server defines it; sessions need it for the flow (the cached config is
  // used when the server is down; the test starts the first probe with the server up).
  if (sessions > 0) {
    std::shared_ptr<const nps::Survey> survey;
    for (int i = 0; i < 500 && !(survey = client->survey()); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!survey) {
      std::fprintf(stderr, "probe: no survey config: %s\n", client->status().last_error.c_str());
      return 3;
    }
    for (int k = first; k < first + sessions; ++k) {
      nps::FlowStart start = client->new_session({"en"}, 1'763'000'000'000 + k);
      start.idempotency_key = "probe-" + std::to_string(k) + "-" + start.idempotency_key.substr(4);
      auto st = nps::start_flow(*survey, start);
      if (!st) return 4;
      auto t = nps::apply(*survey, *st, nps::FlowEvent{nps::EventType::choose_score, k % 11});
      if (!t) return 5;
      client->send(t->state.response, t->send);
      auto t2 = nps::apply(*survey, t->state,
                           nps::FlowEvent{nps::EventType::answer, "answer " + std::to_string(k)});
      if (!t2) return 6;
      client->send(t2->state.response, t2->send);
      std::printf("key %s\n", start.idempotency_key.c_str());
    }
    if (!client->wait_persisted(std::chrono::seconds(10))) return 7;
  }
  std::printf("queued %zu\n", client->status().pending);
  std::fflush(stdout);
  if (drain < 0) {
    for (;;)
      std::this_thread::sleep_for(std::chrono::seconds(1)); // until killed
  }
  client->retry_now();
  const bool idle = client->wait_idle(std::chrono::seconds(drain));
  const auto s = client->status();
  std::printf("drained %zu %zu %s\n", s.delivered, s.failed, s.last_error.c_str());
  std::fflush(stdout);
  return idle ? 0 : 1;
}
