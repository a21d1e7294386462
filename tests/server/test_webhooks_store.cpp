// The webhook outbox and deliveries (webhook_store.hpp), run against SQLite and, through
// tests/pg/with_postgres.sh, PostgreSQL: events are written with what caused them, fan out to
// the endpoints whose filters match, and deliveries are claimed once, retried and replayed.
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"
#include "webhook_store.hpp"

#include "nps/json.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

using namespace npsd;
using npsd::test::open_test_storage;
using npsd::test::response;
using npsd::test::TempDir;

namespace {

constexpr Millis kT0 = 1'750'000'000'000;

WebhookEndpoint endpoint(const std::string& url) {
  auto e = npsd::test::every_event_endpoint(url);
  e.created_at = e.updated_at = kT0;
  return e;
}

nps::json body_of(const OutboxEvent& e) { return nps::json::parse(e.body); }

} // namespace

TEST_CASE("webhooks: a stored answer writes one response.created event, a retried or capped one none",
          "[server][storage][webhooks]") {
  TempDir dir;
  auto db = open_test_storage(dir, "w");
  db->webhooks().add_endpoint(endpoint("https://a.example/all"));
  auto r = response("s1", 3, "key-00001");
  r.comment = "slow";
  REQUIRE(db->insert_response(r, kT0, 0).status == Inserted::created);
  CHECK(db->insert_response(r, kT0 + 1, 0).status == Inserted::duplicate);
  CHECK(db->insert_response(response("s1", 9, "key-00002"), kT0, 1).status == Inserted::cap_reached);

  auto events = db->webhooks().events(0, 100);
  REQUIRE(events.size() == 1);
  const auto& e = events[0];
  CHECK(e.type == "response.created");
  CHECK(e.msg_id.rfind("msg_", 0) == 0);
  CHECK(e.msg_id.size() == 30);
  CHECK(e.msg_id.find('.') == std::string::npos);
  CHECK(e.tags.survey_id == "s1");
  CHECK(e.tags.category == "detractor");
  const auto body = body_of(e);
  CHECK(body["type"] == "response.created");
  CHECK(body["timestamp"] == "2025-06-15T15:06:40.000Z");
  CHECK(body["data"]["score"] == 3);
  CHECK(body["data"]["comment"] == "slow");
  CHECK(body["data"]["idempotency_key"] == "key-00001");
}

TEST_CASE(
    "webhooks: a changed answer and a changed follow-up item each write an event, an unchanged one none",
    "[server][storage][webhooks]") {
  TempDir dir;
  auto db = open_test_storage(dir, "w");
  db->webhooks().add_endpoint(endpoint("https://a.example/all"));
  auto r = response("s1", 4, "key-00001");
  r.respondent_id = "u-1";
  const auto id = db->insert_response(r, kT0, 0).stored.id;
  CHECK(db->update_response(r)); // nothing changed
  auto corrected = r;
  corrected.score = nps::Score::from_int(8).value();
  corrected.comment = "fixed now";
  REQUIRE(db->update_response(corrected));
  FollowUpChange ch;
  ch.status = "contacted";
  REQUIRE(db->change_follow_up("s1", id, true, ch, kT0 + 5));

  auto events = db->webhooks().events(0, 100);
  REQUIRE(events.size() == 3);
  CHECK(events[1].type == "response.updated");
  const auto updated = body_of(events[1]);
  CHECK(updated["data"]["score"] == 8);
  CHECK(updated["data"]["previous"]["score"] == 4);
  CHECK(updated["data"]["previous"]["category"] == "detractor");
  CHECK(events[1].tags.category == "passive");
  CHECK(events[2].type == "follow_up.changed");
  const auto fu = body_of(events[2]);
  CHECK(fu["data"]["status"] == "contacted");
  CHECK(fu["data"]["response"]["id"] == id);
  CHECK(events[0].id < events[1].id);
  CHECK(events[1].id < events[2].id);
}

TEST_CASE("webhooks: an event no endpoint takes is not stored (no copy of the answer nobody is sent), and "
          "one is stored again once an endpoint takes it",
          "[server][storage][webhooks]") {
  TempDir dir;
  auto db = open_test_storage(dir, "w");
  auto& hooks = db->webhooks();
  REQUIRE(db->insert_response(response("s1", 3, "key-00001"), kT0, 0).status == Inserted::created);
  auto e = endpoint("https://a.example/s2");
  e.survey_id = "s2";
  const auto other_survey = hooks.add_endpoint(e).id;
  e = endpoint("https://a.example/off");
  e.enabled = false;
  (void)hooks.add_endpoint(e);
  e = endpoint("https://a.example/updates");
  e.event_types = {"response.updated"};
  (void)hooks.add_endpoint(e);
  REQUIRE(db->insert_response(response("s1", 9, "key-00002"), kT0 + 1, 0).status == Inserted::created);
  CHECK(hooks.events(0, 100).empty()); // none of them takes a response.created of s1
  CHECK(hooks.deliveries(other_survey, std::nullopt, std::nullopt, 100).empty());

  const auto all = hooks.add_endpoint(endpoint("https://a.example/all")).id;
  REQUIRE(db->insert_response(response("s1", 10, "key-00003"), kT0 + 2, 0).status == Inserted::created);
  const auto events = hooks.events(0, 100);
  REQUIRE(events.size() == 1);
  CHECK(body_of(events[0])["data"]["idempotency_key"] == "key-00003");
  CHECK(hooks.deliveries(all, std::nullopt, std::nullopt, 100).size() == 1);
}

TEST_CASE("webhooks: events fan out to the enabled endpoints whose survey, category and type filters match",
          "[server][storage][webhooks]") {
  TempDir dir;
  auto db = open_test_storage(dir, "w");
  auto& hooks = db->webhooks();
  const auto all = hooks.add_endpoint(endpoint("https://a.example/all")).id;
  auto e = endpoint("https://a.example/s2-detractors");
  e.survey_id = "s2";
  e.categories = {"detractor"};
  const auto s2d = hooks.add_endpoint(e).id;
  e = endpoint("https://a.example/updates");
  e.event_types = {"response.updated", "follow_up.changed"};
  const auto updates = hooks.add_endpoint(e).id;
  e = endpoint("https://a.example/off");
  e.enabled = false;
  const auto off = hooks.add_endpoint(e).id;

  db->insert_response(response("s1", 2, "key-00001"), kT0, 0);
  db->insert_response(response("s2", 9, "key-00002"), kT0, 0);
  db->insert_response(response("s2", 1, "key-00003"), kT0, 0);
  auto changed = response("s2", 0, "key-00003");
  db->update_response(changed);

  auto count = [&](std::int64_t ep) { return hooks.deliveries(ep, std::nullopt, std::nullopt, 100).size(); };
  CHECK(count(all) == 4);
  CHECK(count(s2d) == 2); // key-00003 created and updated
  CHECK(count(updates) == 1);
  CHECK(count(off) == 0);
  const auto list = hooks.deliveries(s2d, DeliveryStatus::pending, std::nullopt, 100);
  REQUIRE(list.size() == 2);
  CHECK(list[0].event.type == "response.updated"); // newest first
  CHECK(list[1].event.type == "response.created");
}

TEST_CASE("webhooks: answers stored in one batch each fan out by their own survey, category and channel",
          "[server][storage][webhooks]") {
  TempDir dir;
  auto db = open_test_storage(dir, "wb");
  auto& hooks = db->webhooks();
  auto e = endpoint("https://a.example/detractors");
  e.categories = {"detractor"};
  const auto detractors = hooks.add_endpoint(e).id;
  e = endpoint("https://a.example/s2-email");
  e.survey_id = "s2";
  e.channels = {"email"};
  const auto s2_email = hooks.add_endpoint(e).id;
  // Handed over without waiting: the engines store them a batch at a time.
  constexpr int kAnswers = 150;
  std::mutex mu;
  std::condition_variable cv;
  int done = 0, created = 0;
  for (int k = 0; k < kAnswers; ++k) {
    auto r = response(k % 2 ? "s1" : "s2", k % 11, "batch-key-" + std::to_string(1000 + k));
    r.channel = k % 3 ? nps::Channel::web : nps::Channel::email;
    db->insert_response_then(r, kT0 + k, 0, [&](const InsertOutcome* out, std::exception_ptr) {
      std::lock_guard lock(mu);
      ++done;
      created += out && out->status == Inserted::created;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done == kAnswers; });
  }
  REQUIRE(created == kAnswers);
  int to_detractors = 0, to_s2_email = 0;
  std::vector<Millis> taken; // the answers some endpoint takes, in order
  for (int k = 0; k < kAnswers; ++k) {
    const bool d = k % 11 <= 6, m = k % 2 == 0 && k % 3 == 0;
    to_detractors += d;
    to_s2_email += m;
    if (d || m) taken.push_back(kT0 + k);
  }
  const auto events = hooks.events(0, 1000);
  REQUIRE(events.size() == taken.size()); // none stored that no endpoint takes
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].created_at == taken[i]); // in the answers' order
    CHECK(events[i].type == "response.created");
  }
  auto count = [&](std::int64_t ep) { return hooks.deliveries(ep, std::nullopt, std::nullopt, 1000).size(); };
  CHECK(count(detractors) == static_cast<std::size_t>(to_detractors));
  CHECK(count(s2_email) == static_cast<std::size_t>(to_s2_email));
  for (const auto& d : hooks.deliveries(s2_email, std::nullopt, std::nullopt, 1000)) {
    CHECK(d.event.tags.survey_id == "s2");
    CHECK(d.event.tags.channel == "email");
    CHECK(d.next_at == d.event.created_at);
  }
}

TEST_CASE("webhooks: a delivery is claimed by one claimer, retried when due, and failed ones are replayable",
          "[server][storage][webhooks]") {
  TempDir dir;
  auto db = open_test_storage(dir, "w");
  auto& hooks = db->webhooks();
  const auto ep = hooks.add_endpoint(endpoint("https://a.example/x")).id;
  db->insert_response(response("s1", 9, "key-00001"), kT0, 0);
  CHECK(hooks.next_due() == kT0);

  auto first = hooks.claim(kT0, kT0 + 30'000, 10);
  REQUIRE(first.size() == 1);
  CHECK(hooks.claim(kT0 + 1, kT0 + 30'000, 10).empty()); // leased
  const auto id = first[0].id;
  const auto msg = first[0].event.msg_id;

  AttemptRecord retry{AttemptRecord::Outcome::retry, 500, "HTTP 500", kT0 + 5'000, kT0 + 10};
  REQUIRE(hooks.record_attempt(id, retry));
  CHECK(hooks.claim(kT0 + 4'999, kT0 + 40'000, 10).empty()); // not yet due
  CHECK(hooks.next_due() == kT0 + 5'000);
  auto second = hooks.claim(kT0 + 5'000, kT0 + 40'000, 10);
  REQUIRE(second.size() == 1);
  CHECK(second[0].attempts == 1);
  CHECK(second[0].event.msg_id == msg);

  REQUIRE(hooks.record_attempt(id, {AttemptRecord::Outcome::failed, 0, "timed out", 0, kT0 + 6'000}));
  CHECK_FALSE(hooks.next_due());
  auto failed = hooks.deliveries(ep, DeliveryStatus::failed, std::nullopt, 10);
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].attempts == 2);
  CHECK(failed[0].last_error == "timed out");

  REQUIRE(hooks.replay(id, kT0 + 7'000));
  CHECK_FALSE(hooks.replay(id, kT0 + 7'000)); // only failed ones
  auto again = hooks.claim(kT0 + 7'000, kT0 + 40'000, 10);
  REQUIRE(again.size() == 1);
  CHECK(again[0].attempts == 0);
  CHECK(again[0].event.msg_id == msg);
  REQUIRE(hooks.record_attempt(id, {AttemptRecord::Outcome::delivered, 204, "", 0, kT0 + 7'100}));
  CHECK(hooks.deliveries(ep, DeliveryStatus::delivered, std::nullopt, 10).size() == 1);
}

TEST_CASE("webhooks: a lease that runs out lets another claimer take the delivery (a crashed worker)",
          "[server][storage][webhooks]") {
  TempDir dir;
  auto db = open_test_storage(dir, "w");
  auto& hooks = db->webhooks();
  hooks.add_endpoint(endpoint("https://a.example/x"));
  db->insert_response(response("s1", 9, "key-00001"), kT0, 0);
  const auto first = hooks.claim(kT0, kT0 + 30'000, 10);
  REQUIRE(first.size() == 1);
  CHECK(hooks.next_due() == kT0 + 30'000);
  CHECK(hooks.claim(kT0 + 29'999, kT0 + 60'000, 10).empty());
  CHECK(hooks.claim(kT0 + 30'000, kT0 + 60'000, 10).size() == 1);
  // The first claimer, late, records nothing: the attempt under the new lease counts once.
  AttemptRecord late{
      AttemptRecord::Outcome::retry, 500, "HTTP 500", kT0 + 40'000, kT0 + 31'000, kT0 + 30'000};
  CHECK_FALSE(hooks.record_attempt(first[0].id, late));
  AttemptRecord current{AttemptRecord::Outcome::delivered, 200, "", 0, kT0 + 31'000, kT0 + 60'000};
  CHECK(hooks.record_attempt(first[0].id, current));
  auto list = hooks.deliveries(first[0].endpoint_id, std::nullopt, std::nullopt, 10);
  REQUIRE(list.size() == 1);
  CHECK(list[0].attempts == 1);
  CHECK(list[0].status == DeliveryStatus::delivered);
}

TEST_CASE(
    "webhooks: a 410 fails the delivery and disables its endpoint, and the others wait until it is enabled",
    "[server][storage][webhooks]") {
  TempDir dir;
  auto db = open_test_storage(dir, "w");
  auto& hooks = db->webhooks();
  const auto ep = hooks.add_endpoint(endpoint("https://a.example/x")).id;
  db->insert_response(response("s1", 9, "key-00001"), kT0, 0);
  db->insert_response(response("s1", 8, "key-00002"), kT0, 0);
  auto claimed = hooks.claim(kT0, kT0 + 30'000, 1);
  REQUIRE(claimed.size() == 1);
  REQUIRE(hooks.record_attempt(claimed[0].id, {AttemptRecord::Outcome::gone, 410, "HTTP 410", 0, kT0 + 1}));
  auto after = hooks.endpoint(ep);
  REQUIRE(after);
  CHECK_FALSE(after->enabled);
  CHECK(after->disabled_reason.find("410") != std::string::npos);
  CHECK(hooks.claim(kT0 + 2, kT0 + 30'000, 10).empty());
  CHECK_FALSE(hooks.next_due());
  db->insert_response(response("s1", 7, "key-00003"), kT0 + 3, 0); // no delivery to a disabled endpoint
  after->enabled = true;
  after->disabled_reason.clear();
  REQUIRE(hooks.update_endpoint(*after));
  CHECK(hooks.claim(kT0 + 4, kT0 + 30'000, 10).size() == 1);
  CHECK(hooks.deliveries(ep, std::nullopt, std::nullopt, 10).size() == 2);
}

TEST_CASE("webhooks: concurrent answers each get exactly one event, and concurrent claimers never share one",
          "[server][storage][webhooks]") {
  TempDir dir;
  auto db = open_test_storage(dir, "w");
  auto& hooks = db->webhooks();
  hooks.add_endpoint(endpoint("https://a.example/x"));
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const auto key = "conc-key-" + std::to_string(t) + "-" + std::to_string(i % 20); // some retries
        db->insert_response(response("s1", i % 11, key), kT0, 0);
      }
    });
  for (auto& th : threads)
    th.join();
  const auto events = hooks.events(0, 1000);
  CHECK(events.size() == db->count_responses("s1"));
  CHECK(events.size() == kThreads * 20);

  std::vector<std::vector<std::int64_t>> got(kThreads);
  threads.clear();
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (;;) {
        auto batch = hooks.claim(kT0 + 1, kT0 + 60'000, 3);
        if (batch.empty()) break;
        for (const auto& d : batch)
          got[t].push_back(d.id);
      }
    });
  for (auto& th : threads)
    th.join();
  std::set<std::int64_t> all;
  std::size_t total = 0;
  for (const auto& g : got) {
    total += g.size();
    all.insert(g.begin(), g.end());
  }
  CHECK(total == events.size());
  CHECK(all.size() == events.size());
}

TEST_CASE("webhooks: endpoints keep their filters, secrets and state across reopening",
          "[server][storage][webhooks]") {
  TempDir dir;
  std::int64_t id = 0;
  {
    auto db = open_test_storage(dir, "w");
    auto e = endpoint("https://a.example/x");
    e.kind = "slack";
    e.description = "détracteurs";
    e.survey_id = "s1";
    e.categories = {"detractor", "passive"};
    e.channels = {"email"};
    e.include_personal = false;
    e.previous_secret = "whsec_b2xk";
    e.previous_until = kT0 + 99;
    id = db->webhooks().add_endpoint(e).id;
  }
  auto db = open_test_storage(dir, "w");
  auto e = db->webhooks().endpoint(id);
  REQUIRE(e);
  CHECK(e->kind == "slack");
  CHECK(e->description == "détracteurs");
  CHECK(e->survey_id == "s1");
  CHECK(e->categories == std::vector<std::string>{"detractor", "passive"});
  CHECK(e->channels == std::vector<std::string>{"email"});
  CHECK(e->event_types.empty());
  CHECK_FALSE(e->include_personal);
  CHECK(e->previous_secret == "whsec_b2xk");
  CHECK(e->previous_until == kT0 + 99);
  CHECK(db->webhooks().endpoints().size() == 1);
  CHECK(db->webhooks().delete_endpoint(id));
  CHECK(db->webhooks().endpoints().empty());
}

TEST_CASE("webhooks: deleting a respondent deletes their events, and retention deletes old events",
          "[server][storage][webhooks]") {
  TempDir dir;
  auto db = open_test_storage(dir, "w");
  auto& hooks = db->webhooks();
  const auto ep = hooks.add_endpoint(endpoint("https://a.example/x")).id;
  auto mine = response("s1", 2, "key-00001");
  mine.respondent_id = "ana@example.com";
  mine.comment = "call me on 555-0100";
  db->insert_response(mine, kT0, 0);
  db->insert_response(response("s1", 9, "key-00002"), kT0 + 10, 0);
  db->insert_response(response("s1", 9, "key-00003"), kT0 + 86'400'000, 0);
  REQUIRE(hooks.events(0, 100).size() == 3);

  CHECK(db->delete_respondent("ana@example.com") == 1);
  auto left = hooks.events(0, 100);
  REQUIRE(left.size() == 2);
  for (const auto& e : left)
    CHECK(e.body.find("555-0100") == std::string::npos);
  CHECK(hooks.deliveries(ep, std::nullopt, std::nullopt, 10).size() == 2);

  db->apply_retention(kT0 + 1000, RetentionMode::anonymize);
  left = hooks.events(0, 100);
  REQUIRE(left.size() == 1);
  CHECK(left[0].created_at == kT0 + 86'400'000);
  CHECK(hooks.deliveries(ep, std::nullopt, std::nullopt, 10).size() == 1);
}

TEST_CASE("webhooks: message ids made at once on several threads are distinct, time-ordered and "
          "in the id alphabet",
          "[webhooks]") {
  constexpr int kThreads = 4, kEach = 3000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < kEach; ++i)
        ids[static_cast<std::size_t>(t)].push_back(
            make_event("response.created", {{"i", i}}, {}, kT0).msg_id);
    });
  for (auto& th : threads)
    th.join();
  std::set<std::string> all;
  for (const auto& one : ids) {
    for (std::size_t i = 0; i < one.size(); ++i) {
      REQUIRE(one[i].size() == 30);
      CHECK(one[i].rfind("msg_", 0) == 0);
      CHECK(one[i].find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz", 4) == std::string::npos);
      if (i > 0) CHECK(one[i].substr(0, 13) >= one[i - 1].substr(0, 13)); // the time, 48 bits
    }
    all.insert(one.begin(), one.end());
  }
  CHECK(all.size() == static_cast<std::size_t>(kThreads * kEach));
}
