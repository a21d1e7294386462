// Comment themes' storage (themes_store.hpp), on SQLite files and, through
// tests/pg/with_postgres.sh, on PostgreSQL: the counts are kept with the answer, follow the
// answer when it changes or goes, and never count a retried answer twice.
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"
#include "themes_store.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using npsd::test::open_test_storage;
using npsd::test::pg_before_slots;
using npsd::test::raw_exec;
using npsd::test::response;
using npsd::test::TempDir;
using npsd::test::test_pg_url;

namespace {

constexpr Millis kDay = 86'400'000;
constexpr Millis kT0 = 1'750'000'000'000; // 2025-06-15

nps::Response commented(const std::string& key, int score, const std::string& text,
                        const std::string& locale) {
  auto r = response("s1", score, key);
  r.comment = text;
  r.locale = locale;
  return r;
}

ThemeQuery everything(std::optional<std::string> lang = std::nullopt) {
  return ThemeQuery{"s1", day_of(kT0) - 30, day_of(kT0) + 30, std::move(lang)};
}

const ThemeTermRow* find_term(const std::vector<ThemeTermRow>& rows, const std::string& term) {
  for (const auto& r : rows)
    if (r.term == term) return &r;
  return nullptr;
}

} // namespace

TEST_CASE("themes storage: an answer's comment terms are counted with it, per category and language",
          "[server][storage][themes]") {
  TempDir dir;
  auto db = open_test_storage(dir, "t1");
  REQUIRE(db->insert_response(commented("k1", 2, "The delivery was slow", "en"), kT0, 0).status ==
          Inserted::created);
  REQUIRE(db->insert_response(commented("k2", 10, "Fast deliveries!", "en-GB"), kT0 + kDay, 0).status ==
          Inserted::created);
  REQUIRE(db->insert_response(commented("k3", 5, "La entrega no es rápida", "es-MX"), kT0, 0).status ==
          Inserted::created);
  REQUIRE(db->insert_response(response("s1", 9, "k4"), kT0, 0).status == Inserted::created); // no comment
  // A retried answer is not counted twice.
  CHECK(db->insert_response(commented("k1", 2, "The delivery was slow", "en"), kT0, 0).status ==
        Inserted::duplicate);

  auto& themes = db->themes();
  const auto terms = themes.terms(everything(), 1);
  const auto* delivery = find_term(terms, "deliveri");
  REQUIRE(delivery);
  CHECK(delivery->detractors == 1);
  CHECK(delivery->promoters == 1);
  CHECK(delivery->passives == 0);
  const auto* negated = find_term(terms, "no_rap");
  REQUIRE(negated);
  CHECK(negated->detractors == 1);
  CHECK(negated->form == "no rápida");
  CHECK_FALSE(find_term(terms, "rap"));

  const auto commenters = themes.commenters(everything());
  CHECK(commenters.n() == 3); // the answer without a comment is not a commenter
  CHECK(commenters.count(2) == 1);
  CHECK(themes.commenters(everything("es")).n() == 1);
  const auto langs = themes.languages(everything());
  REQUIRE(langs.size() == 2);
  CHECK(langs[0] == std::pair<std::string, std::uint64_t>{"en", 2});
  CHECK(langs[1] == std::pair<std::string, std::uint64_t>{"es", 1});

  CHECK(themes.mentioning(everything(), "slow").count(2) == 1);
  CHECK(themes.mentioning(everything(), "slow").n() == 1);
  CHECK(themes.mentioning(everything("es"), "slow").n() == 0);
  CHECK(find_term(themes.terms(everything("en"), 1), "no_rap") == nullptr);
  CHECK(find_term(themes.terms(everything(), 2), "deliveri") != nullptr);
  CHECK(find_term(themes.terms(everything(), 2), "slow") == nullptr);

  const auto days = themes.days(everything(), "deliveri");
  REQUIRE(days.size() == 2);
  CHECK(days[0].day == day_of(kT0));
  CHECK(days[1].count == 1);
  CHECK(themes.days(everything(), "").at(0).count == 2);

  const auto behind = themes.comments(everything(), "deliveri", 10);
  REQUIRE(behind.size() == 2);
  CHECK(behind[0].comment == "Fast deliveries!"); // newest first
  CHECK(behind[1].score == 2);
  CHECK(themes.comments(everything(), "deliveri", 1).size() == 1);
}

TEST_CASE("themes storage: a changed comment is counted again, a deleted or anonymised one no more",
          "[server][storage][themes]") {
  TempDir dir;
  auto db = open_test_storage(dir, "t2");
  auto a = commented("k1", 3, "slow support", "en");
  a.respondent_id = "person-1";
  REQUIRE(db->insert_response(a, kT0, 0).status == Inserted::created);
  REQUIRE(db->insert_response(commented("k2", 4, "slow app", "en"), kT0 - 20 * kDay, 0).status ==
          Inserted::created);
  auto& themes = db->themes();
  CHECK(themes.mentioning(everything(), "slow").n() == 2);

  auto changed = a;
  changed.comment = "expensive";
  changed.score = nps::Score::from_int(8).value();
  REQUIRE(db->update_response(changed));
  CHECK(themes.mentioning(everything(), "slow").n() == 1);
  CHECK(themes.mentioning(everything(), "support").n() == 0);
  CHECK(themes.mentioning(everything(), "expens").count(8) == 1);
  CHECK(themes.commenters(everything()).n() == 2);

  CHECK(db->delete_respondent("person-1") == 1);
  CHECK(themes.mentioning(everything(), "expens").n() == 0);
  CHECK(themes.commenters(everything()).n() == 1);
  CHECK(find_term(themes.terms(everything(), 1), "expens") == nullptr);

  // Retention that anonymises keeps the score but drops the comment, and its terms with it.
  CHECK(db->apply_retention(kT0 - 10 * kDay, RetentionMode::anonymize) == 1);
  CHECK(themes.mentioning(everything(), "slow").n() == 0);
  CHECK(themes.commenters(everything()).n() == 0);
  CHECK(themes.comments(everything(), "slow", 10).empty());
}

namespace {

// Answers given through one channel on one device.
nps::Response given(const std::string& key, int score, const std::string& text, nps::Channel channel,
                    std::optional<nps::Device> device, const std::string& respondent = "") {
  auto r = commented(key, score, text, "en");
  r.channel = channel;
  r.device = device;
  if (!respondent.empty()) r.respondent_id = respondent;
  return r;
}

ThemeQuery only(std::optional<std::string> channel, std::optional<std::string> device = std::nullopt) {
  auto q = everything();
  q.channel = std::move(channel);
  q.device = std::move(device);
  return q;
}

std::string key_of(const std::string& word) { return comment_terms(word, "en").at(0).key; }

// A theme planted in app answers on phones ("the app crashes", detractors), another on the web
// on desktops ("slow delivery", detractors), promoters everywhere ("great price"), and one
// answer without a device.
void plant(Storage& db) {
  int k = 0;
  auto key = [&k] { return "seg-" + std::to_string(1000 + k++); };
  for (int i = 0; i < 4; ++i) {
    REQUIRE(db.insert_response(given(key(), 2, "the app crashes", nps::Channel::app, nps::Device::mobile,
                                     "app-" + std::to_string(i)),
                               kT0, 0)
                .status == Inserted::created);
    REQUIRE(
        db.insert_response(given(key(), 3, "slow delivery", nps::Channel::web, nps::Device::desktop), kT0, 0)
            .status == Inserted::created);
    REQUIRE(db.insert_response(given(key(), 10, "great price", i % 2 ? nps::Channel::app : nps::Channel::web,
                                     i % 2 ? nps::Device::mobile : nps::Device::desktop),
                               kT0 + kDay, 0)
                .status == Inserted::created);
  }
  REQUIRE(
      db.insert_response(given(key(), 9, "great price", nps::Channel::email, std::nullopt), kT0, 0).status ==
      Inserted::created);
}

} // namespace

TEST_CASE(
    "themes storage: a theme planted in app answers is counted there, not on the web, and devices likewise",
    "[server][storage][themes]") {
  TempDir dir;
  auto db = open_test_storage(dir, "seg");
  plant(*db);
  auto& themes = db->themes();
  const auto crash = key_of("crashes"), slow = key_of("slow"), price = key_of("price");

  // Unfiltered: every answer, as before.
  const auto all = themes.terms(everything(), 1);
  REQUIRE(find_term(all, crash));
  CHECK(find_term(all, crash)->detractors == 4);
  CHECK(find_term(all, slow)->detractors == 4);
  CHECK(find_term(all, price)->promoters == 5);
  CHECK(themes.commenters(everything()).n() == 13);

  // By channel.
  const auto app = themes.terms(only("app"), 1);
  REQUIRE(find_term(app, crash));
  CHECK(find_term(app, crash)->detractors == 4);
  CHECK(find_term(app, crash)->form == "crashes");
  CHECK(find_term(app, slow) == nullptr);
  CHECK(find_term(app, price)->promoters == 2);
  const auto web = themes.terms(only("web"), 1);
  CHECK(find_term(web, crash) == nullptr);
  CHECK(find_term(web, slow)->detractors == 4);
  CHECK(themes.commenters(only("app")).n() == 6);
  CHECK(themes.commenters(only("web")).count(3) == 4);
  CHECK(themes.commenters(only("email")).n() == 1);
  CHECK(themes.commenters(only("sms")).n() == 0);
  CHECK(themes.mentioning(only("app"), crash).count(2) == 4);
  CHECK(themes.mentioning(only("web"), crash).n() == 0);
  CHECK(themes.days(only("web"), crash).empty());
  CHECK(themes.days(only("app"), "").size() == 2);
  CHECK(themes.comments(only("app"), crash, 10).size() == 4);
  CHECK(themes.comments(only("web"), crash, 10).empty());
  CHECK(themes.languages(only("app")) == std::vector<std::pair<std::string, std::uint64_t>>{{"en", 6}});

  // By device, alone and with a channel.
  const auto mobile = themes.terms(only(std::nullopt, "mobile"), 1);
  REQUIRE(find_term(mobile, crash));
  CHECK(find_term(mobile, crash)->detractors == 4);
  CHECK(find_term(mobile, slow) == nullptr);
  CHECK(find_term(themes.terms(only(std::nullopt, "desktop"), 1), crash) == nullptr);
  CHECK(find_term(themes.terms(only(std::nullopt, "desktop"), 1), slow)->detractors == 4);
  CHECK(find_term(themes.terms(only("app", "desktop"), 1), crash) == nullptr);
  CHECK(find_term(themes.terms(only("app", "mobile"), 1), crash)->detractors == 4);
  CHECK(themes.commenters(only(std::nullopt, "mobile")).n() == 6);
  CHECK(themes.commenters(only(std::nullopt, "tablet")).n() == 0);
  CHECK(themes.mentioning(only(std::nullopt, "mobile"), crash).n() == 4);
  CHECK(themes.comments(only(std::nullopt, "desktop"), crash, 10).empty());
  CHECK(themes.comments(only("app", "mobile"), crash, 10).size() == 4);

  // A deleted answer leaves the filtered counts exactly; a changed comment is counted again there.
  CHECK(db->delete_respondent("app-0") == 1);
  CHECK(find_term(themes.terms(only("app"), 1), crash)->detractors == 3);
  CHECK(find_term(themes.terms(only(std::nullopt, "mobile"), 1), crash)->detractors == 3);
  CHECK(themes.commenters(only("app", "mobile")).n() == 5);
  CHECK(themes.mentioning(only("app", "mobile"), crash).n() == 3);
  CHECK(themes.comments(only("app"), crash, 10).size() == 3);
  auto changed = given("seg-1003", 8, "expensive", nps::Channel::web, nps::Device::desktop); // was app-1
  REQUIRE(db->update_response(changed));
  CHECK(find_term(themes.terms(only("app"), 1), crash)->detractors == 2);
  CHECK(themes.mentioning(only("app"), key_of("expensive")).count(8) == 1); // its own channel kept
  CHECK(themes.mentioning(only("web"), key_of("expensive")).n() == 0);
  for (const auto* who : {"app-2", "app-3"})
    CHECK(db->delete_respondent(who) == 1);
  CHECK(find_term(themes.terms(only("app"), 1), crash) == nullptr);
  CHECK(find_term(themes.terms(only(std::nullopt, "mobile"), 1), crash) == nullptr);
  CHECK(themes.commenters(only("app")).n() == 3);
  CHECK(themes.commenters(everything()).n() == 10);
  // Retention that anonymises takes every comment out, segment by segment.
  CHECK(db->apply_retention(kT0 + 2 * kDay, RetentionMode::anonymize) == 10);
  for (const auto& q :
       {everything(), only("app"), only("web"), only(std::nullopt, "mobile"), only("email")}) {
    CHECK(themes.commenters(q).n() == 0);
    CHECK(themes.terms(q, 1).empty());
  }
}

TEST_CASE("themes storage: an older database's themes get their channels and devices on upgrade",
          "[server][storage][themes]") {
  TempDir dir;
  auto db = open_test_storage(dir, "up");
  plant(*db);
  auto changed = given("seg-1000", 1, "the app crashes daily", nps::Channel::app, nps::Device::mobile);
  REQUIRE(db->update_response(changed));
  const auto crash = key_of("crashes"), slow = key_of("slow");
  const auto before = db->themes().terms(everything(), 1);
  const auto commenters_before = db->themes().commenters(everything());
  db.reset();
  // The database as the npsd before the segments left it: their tables gone, the schema one
  // migration back (SQLite's 12th, PostgreSQL's 11th is theirs), and so the tables of the
  // migration after it (the page and attribute tallies, issue 18) not there yet either.
  const std::string later = "DROP TABLE dim_seg_tallies; DROP TABLE seg_locales; DROP TABLE dim_tallies; "
                            "DROP TABLE dim_values; DROP TABLE dim_keys; ";
  raw_exec(dir, "up",
           test_pg_url()
               ? pg_before_slots() + later +
                     "DROP TABLE theme_seg_terms; DROP TABLE theme_seg_comments; "
                     "UPDATE npsd_schema SET version = 10"
               : later +
                     "DROP TABLE theme_seg_terms; DROP TABLE theme_seg_comments; PRAGMA user_version = 11");
  db = open_test_storage(dir, "up");
  auto& themes = db->themes();
  // Unfiltered: the same themes as before the upgrade, term by term.
  const auto after = themes.terms(everything(), 1);
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    CHECK(after[i].term == before[i].term);
    CHECK(after[i].form == before[i].form);
    CHECK(after[i].detractors == before[i].detractors);
    CHECK(after[i].passives == before[i].passives);
    CHECK(after[i].promoters == before[i].promoters);
  }
  CHECK(themes.commenters(everything()) == commenters_before);
  // Filtered: filled from the answers' own channel and device.
  REQUIRE(find_term(themes.terms(only("app"), 1), crash));
  CHECK(find_term(themes.terms(only("app"), 1), crash)->detractors == 4);
  CHECK(find_term(themes.terms(only("app"), 1), crash)->form == "crashes");
  CHECK(find_term(themes.terms(only("app"), 1), key_of("daily"))->detractors == 1);
  CHECK(find_term(themes.terms(only("web"), 1), crash) == nullptr);
  CHECK(find_term(themes.terms(only("web"), 1), slow)->detractors == 4);
  CHECK(find_term(themes.terms(only(std::nullopt, "mobile"), 1), crash)->detractors == 4);
  CHECK(find_term(themes.terms(only(std::nullopt, "desktop"), 1), crash) == nullptr);
  CHECK(themes.commenters(only("app")).count(1) == 1);
  CHECK(themes.commenters(only("app")).n() == 6);
  CHECK(themes.commenters(only("email")).n() == 1);
  CHECK(themes.mentioning(only("app", "mobile"), crash).n() == 4);
  // And kept from then on: a delete after the upgrade takes its filtered counts out.
  CHECK(db->delete_respondent("app-1") == 1);
  CHECK(find_term(themes.terms(only("app"), 1), crash)->detractors == 3);
  CHECK(themes.commenters(only(std::nullopt, "mobile")).n() == 5);
}
