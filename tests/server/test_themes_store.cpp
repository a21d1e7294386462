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
using npsd::test::response;
using npsd::test::TempDir;

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
