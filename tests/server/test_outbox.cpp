// The campaign outbox on both engines (issue 14): several senders on one database (a
// message is recovered only from a sender whose heartbeat ended), one reminder to those who
// did not answer, an audience from a CSV, the widget's answers counted by the throttle, and
// the funnel (clicked, answered, unsubscribed, reminded).
#include "email_store.hpp"
#include "storage_support.hpp"
#include "webhook_store.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using namespace npsd::test;

namespace {

constexpr Millis kDay = 86'400'000;
constexpr Millis kT0 = 1'790'000'000'000; // 2026-09-21

ContactInput person(const std::string& email, const std::string& external = "") {
  ContactInput c;
  c.email = email;
  c.external_id = external;
  return c;
}

std::uint64_t state_count(const CampaignFunnel& f, const std::string& state) {
  for (const auto& [s, n] : f.states)
    if (s == state) return n;
  return 0;
}

// Sends every due message as `owner` would, the relay accepting each.
int send_all(EmailStore& e, Millis now, const std::string& owner, std::vector<std::string>* kinds = nullptr) {
  int n = 0;
  while (auto m = e.claim_next(now, owner)) {
    REQUIRE(e.mark_committing(m->id, owner));
    e.mark_sent(m->id, now, 250);
    if (kinds) kinds->push_back(m->kind + ":" + m->email);
    ++n;
  }
  return n;
}

} // namespace

TEST_CASE("storage: a sender's messages are recovered only once its heartbeat ended, and a sender that "
          "lost its message cannot finish it",
          "[storage][email]") {
  TempDir dir;
  auto st = open_test_storage(dir, "outbox");
  auto& e = st->email();
  e.import_contacts({person("a@example.com"), person("b@example.com"), person("c@example.com")}, kT0);
  CampaignInput in;
  in.survey_id = "s1";
  in.name = "Q3";
  in.scheduled_at = kT0;
  const auto m = e.add_campaign(in, {}, kT0);
  REQUIRE(e.enqueue_campaign(m.id, kT0) == 3);

  e.heartbeat("alpha", kT0 + 15'000);
  e.heartbeat("beta", kT0 + 15'000);
  auto a1 = e.claim_next(kT0, "alpha"); // alpha: in the middle of the DATA
  auto a2 = e.claim_next(kT0, "alpha");
  REQUIRE(a1);
  REQUIRE(a2);
  REQUIRE(e.mark_committing(a2->id, "alpha")); // alpha: the end of DATA sent
  auto b1 = e.claim_next(kT0, "beta");
  REQUIRE(b1);
  CHECK_FALSE(e.claim_next(kT0, "beta")); // SKIP LOCKED / claimed: nothing left

  // beta starts while alpha is alive: nothing of alpha's is touched.
  CHECK(e.recover_outbox(kT0 + 5'000) == std::pair<std::size_t, std::size_t>{0, 0});
  // alpha's heartbeat ends (killed): its sending message is queued again, its committing one
  // becomes uncertain; beta's (alive) stays with beta.
  e.heartbeat("beta", kT0 + 40'000);
  CHECK(e.recover_outbox(kT0 + 20'000) == std::pair<std::size_t, std::size_t>{1, 1});
  CHECK_FALSE(e.mark_committing(a1->id, "alpha")); // alpha was only slow: it must drop the message
  REQUIRE(e.mark_committing(b1->id, "beta"));
  e.mark_sent(b1->id, kT0 + 20'000, 250);
  auto again = e.claim_next(kT0 + 20'000, "beta");
  REQUIRE(again);
  CHECK(again->id == a1->id);
  CHECK(again->attempts == 2);
  REQUIRE(e.mark_committing(again->id, "beta"));
  e.mark_sent(again->id, kT0 + 20'000, 250);
  const auto f = e.funnel(*e.campaign(m.id));
  CHECK(state_count(f, "sent") == 2);
  CHECK(state_count(f, "uncertain") == 1);
  CHECK(state_count(f, "queued") == 0);
}

TEST_CASE("storage: one reminder goes to those who did not answer, after reminder_days, and not to "
          "those who answered or unsubscribed",
          "[storage][email]") {
  TempDir dir;
  auto st = open_test_storage(dir, "reminders");
  auto& e = st->email();
  e.import_contacts({person("ana@example.com"), person("bo@example.com"), person("cy@example.com"),
                     person("di@example.com")},
                    kT0);
  CampaignInput in;
  in.survey_id = "s1";
  in.name = "with a reminder";
  in.reminder_days = 3;
  in.scheduled_at = kT0;
  const auto m = e.add_campaign(in, {}, kT0);
  CHECK(e.campaign(m.id)->reminder_days == 3);
  REQUIRE(e.enqueue_campaign(m.id, kT0) == 4);
  e.heartbeat("s", kT0 + 100 * kDay);
  REQUIRE(send_all(e, kT0, "s") == 4);

  // ana answered through her link, bo unsubscribed, cy clicked but did not answer.
  auto r = response("s1", 9, link_answer_key(campaign_recipient(m.id, 1)));
  REQUIRE(st->insert_response(r, kT0 + 1000, 0).status == Inserted::created);
  e.suppress("BO@example.com", "unsubscribed", kT0 + 2000);
  e.record_click(m.id, 1, kT0 + 900);
  e.record_click(m.id, 3, kT0 + 3000);
  e.record_click(m.id, 3, kT0 + 4000); // the first click counts

  CHECK(e.enqueue_reminders(kT0 + 2 * kDay) == 0); // too early
  CHECK(e.enqueue_reminders(kT0 + 3 * kDay) == 2); // cy and di
  CHECK(e.enqueue_reminders(kT0 + 4 * kDay) == 0); // one reminder each, ever
  // di answers before her reminder goes out: it is skipped.
  auto late = response("s1", 6, link_answer_key(campaign_recipient(m.id, 4)));
  REQUIRE(st->insert_response(late, kT0 + 3 * kDay + 10, 0).status == Inserted::created);
  std::vector<std::string> kinds;
  CHECK(send_all(e, kT0 + 3 * kDay + 20, "s", &kinds) == 1);
  CHECK(kinds == std::vector<std::string>{"reminder:cy@example.com"});

  const auto f = e.funnel(*e.campaign(m.id));
  CHECK(state_count(f, "sent") == 4); // the first messages; reminders apart
  CHECK(f.reminded == 1);
  CHECK(f.clicked == 2);
  CHECK(f.answered == 2);
  CHECK(f.unsubscribed == 1);
}

TEST_CASE("storage: a campaign's audience from a CSV asks only its contacts (imported in the same "
          "transaction), and a widget answer counts as being asked",
          "[storage][email]") {
  TempDir dir;
  auto st = open_test_storage(dir, "audience");
  auto& e = st->email();
  e.import_contacts({person("old@example.com"), person("w@example.com", "user-7")}, kT0);

  CampaignInput in;
  in.survey_id = "s1";
  in.name = "from a file";
  in.audience = "csv";
  in.scheduled_at = kT0;
  auto updated = person("OLD@example.com");
  updated.name = "Old Friend";
  const auto m = e.add_campaign(in, {person("new@example.com"), updated}, kT0);
  CHECK(e.campaign(m.id)->audience == "csv");
  CHECK(e.count_contacts() == 3);
  CHECK(e.contact(1)->name == "Old Friend");
  REQUIRE(e.enqueue_campaign(m.id, kT0) == 2);
  std::vector<std::string> kinds;
  e.heartbeat("s", kT0 + kDay);
  send_all(e, kT0, "s", &kinds);
  std::sort(kinds.begin(), kinds.end());
  CHECK(kinds == std::vector<std::string>{"survey:OLD@example.com", "survey:new@example.com"});

  // user-7 answered the widget 10 days ago: a campaign throttled at 30 days skips them; one
  // at 5 days asks them. The widget answer carries the contact's external id.
  auto widget = response("s1", 8, "widget-1");
  widget.respondent_id = "user-7";
  REQUIRE(st->insert_response(widget, kT0 + 20 * kDay, 0).status == Inserted::created);
  CampaignInput all;
  all.survey_id = "s1";
  all.name = "everyone";
  all.throttle_days = 30;
  all.scheduled_at = kT0 + 30 * kDay;
  const auto everyone = e.add_campaign(all, {}, kT0 + 30 * kDay);
  REQUIRE(e.enqueue_campaign(everyone.id, kT0 + 40 * kDay) == 2); // old and new, asked 40 days ago
  kinds.clear();
  send_all(e, kT0 + 40 * kDay, "s", &kinds);
  std::sort(kinds.begin(), kinds.end());
  CHECK(kinds == std::vector<std::string>{"survey:OLD@example.com", "survey:new@example.com"});
  all.throttle_days = 5;
  const auto short_throttle = e.add_campaign(all, {}, kT0 + 30 * kDay);
  CHECK(e.enqueue_campaign(short_throttle.id, kT0 + 40 * kDay) == 1); // w: the widget answer is 20 days old
}

TEST_CASE("storage: deleting a contact removes its e-mail from every message and skips the ones still "
          "queued, and the funnels keep their counts",
          "[storage][email]") {
  TempDir dir;
  auto st = open_test_storage(dir, "forget");
  auto& e = st->email();
  e.import_contacts({person("ana@example.com"), person("bo@example.com")}, kT0);
  CampaignInput in;
  in.survey_id = "s1";
  in.name = "first";
  in.scheduled_at = kT0;
  const auto first = e.add_campaign(in, {}, kT0);
  REQUIRE(e.enqueue_campaign(first.id, kT0) == 2);
  e.heartbeat("s", kT0 + kDay);
  REQUIRE(send_all(e, kT0, "s") == 2);
  in.audience = "csv";
  in.throttle_days = 0;
  const auto second = e.add_campaign(in, {person("ana@example.com"), person("bo@example.com")}, kT0 + 10);
  REQUIRE(e.enqueue_campaign(second.id, kT0 + 20) == 2);
  e.record_click(first.id, 1, kT0 + 5);

  REQUIRE(e.delete_contact(1));
  CHECK_FALSE(e.delete_contact(1));
  CHECK_FALSE(e.contact(1));
  std::vector<std::string> sent;
  send_all(e, kT0 + 30, "s", &sent);
  CHECK(sent == std::vector<std::string>{"survey:bo@example.com"}); // ana's queued message is skipped
  const auto f = e.funnel(*e.campaign(first.id));
  CHECK(state_count(f, "sent") == 2);
  CHECK(f.clicked == 0);
  CHECK(state_count(e.funnel(*e.campaign(second.id)), "skipped") == 1);
}

TEST_CASE(
    "storage: a campaign whose every first message reached its end sends campaign.finished once, and an "
    "unsubscribe sends contact.unsubscribed, which goes with the contact",
    "[storage][email]") {
  TempDir dir;
  auto st = open_test_storage(dir, "events");
  auto& e = st->email();
  st->webhooks().add_endpoint(every_event_endpoint("https://hooks.example.com/all")); // or no event is stored
  const auto events_of = [&](const std::string& type) {
    std::vector<nps::json> out;
    for (const auto& ev : st->webhooks().events(0, 1000))
      if (ev.type == type) out.push_back(nps::json::parse(ev.body)["data"]);
    return out;
  };
  e.import_contacts({person("ana@example.com"), person("bo@example.com"), person("cy@example.com")}, kT0);
  CampaignInput in;
  in.survey_id = "s1";
  in.name = "Spring";
  in.reminder_days = 2;
  in.scheduled_at = kT0;
  const auto m = e.add_campaign(in, {}, kT0);
  REQUIRE(e.enqueue_campaign(m.id, kT0) == 3);
  e.heartbeat("s", kT0 + 10 * kDay);
  auto a = e.claim_next(kT0, "s");
  REQUIRE(e.mark_committing(a->id, "s"));
  e.mark_sent(a->id, kT0, 250);
  auto b = e.claim_next(kT0, "s");
  e.mark_failed(b->id, true, 550, "no such mailbox", kT0); // a bounce: suppressed, not an unsubscribe
  CHECK(events_of("campaign.finished").empty());           // cy's message is still queued
  CHECK(e.suppress("Cy@Example.com", "unsubscribed", kT0 + 1));
  CHECK_FALSE(e.suppress("cy@example.com", "complained", kT0 + 2)); // already suppressed: no second event
  CHECK_FALSE(e.claim_next(kT0 + 3, "s"));                          // cy's is skipped: the campaign ends

  const auto finished = events_of("campaign.finished");
  REQUIRE(finished.size() == 1);
  CHECK(finished[0]["campaign_id"] == m.id);
  CHECK(finished[0]["name"] == "Spring");
  CHECK(finished[0]["messages"] == nps::json{{"bounced", 1}, {"sent", 1}, {"skipped", 1}, {"total", 3}});
  CHECK(e.campaign(m.id)->finished_at == kT0 + 3);
  const auto unsubscribed = events_of("contact.unsubscribed");
  REQUIRE(unsubscribed.size() == 1);
  CHECK(unsubscribed[0]["email"] == "cy@example.com");
  CHECK(unsubscribed[0]["reason"] == "unsubscribed");
  CHECK(unsubscribed[0]["contact_id"] == 3);

  // The reminder to ana goes later; the campaign does not finish twice.
  REQUIRE(e.enqueue_reminders(kT0 + 2 * kDay) == 1);
  send_all(e, kT0 + 2 * kDay, "s");
  CHECK(events_of("campaign.finished").size() == 1);
  // Deleting cy deletes the event that holds her address.
  REQUIRE(e.delete_contact(3));
  CHECK(events_of("contact.unsubscribed").empty());
  // A campaign with nobody to ask finishes at once.
  in.name = "Nobody";
  in.throttle_days = 365;
  const auto empty = e.add_campaign(in, {}, kT0 + 3 * kDay);
  CHECK(e.enqueue_campaign(empty.id, kT0 + 3 * kDay) == 0);
  CHECK(events_of("campaign.finished").size() == 2);
}
