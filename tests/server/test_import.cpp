// Imports from other tools (issue 15): each preset's sample export (tests/import/) gives the
// NPS the source showed; npsd's own export re-imported into an empty database gives the
// same summary and trend; a second import stores nothing; a bad line stops everything;
// a 1–10 survey needs a mapping. [storage] cases run again against PostgreSQL.
#include "csv.hpp"
#include "http_support.hpp"
#include "import.hpp"
#include "storage_support.hpp"

#include "nps/tally.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

namespace imp = npsd::import;
using npsd::test::open_test_storage;
using npsd::test::TempDir;

namespace {

std::string sample(const std::string& name) {
  std::ifstream in(std::string(NPS_IMPORT_SAMPLES) + "/" + name, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Imported {
  imp::Report report;
  std::size_t stored = 0;
};

Imported run(npsd::Storage& db, const std::string& text, const imp::Options& o) {
  Imported out;
  out.report = imp::validate(text, o);
  if (out.report.error_count) return out;
  REQUIRE(imp::rows(text, o, 4, [&](const auto& batch) { out.stored += db.import_responses(batch); }));
  return out;
}

imp::Options options(imp::Preset p, std::map<std::string, std::string> columns = {}) {
  imp::Options o;
  o.survey_id = "shop";
  o.preset = p;
  o.columns = std::move(columns);
  return o;
}

npsd::SurveyRecord survey_record() {
  npsd::SurveyRecord s;
  s.id = "shop";
  s.definition = R"({"id":"shop"})";
  s.etag = "\"x\"";
  return s;
}

} // namespace

TEST_CASE("storage: each tool's sample export imports with the NPS the tool showed, once",
          "[storage][import]") {
  const std::vector<std::tuple<std::string, imp::Preset, std::map<std::string, std::string>>> presets = {
      {"delighted.csv", imp::Preset::delighted, {}},
      {"formbricks.csv",
       imp::Preset::formbricks,
       {{"comment", "2. What is the main reason for your score?"}}},
      {"survicate.csv", imp::Preset::survicate, {{"comment", "What is the main reason for your score?"}}},
      {"wootric.csv", imp::Preset::wootric, {}},
      {"qualtrics.csv", imp::Preset::qualtrics, {{"comment", "Q2"}}},
  };
  for (const auto& [file, preset, columns] : presets) {
    INFO(file);
    TempDir dir;
    auto db = open_test_storage(dir, "import");
    db->put_survey(survey_record(), 1);
    const auto text = sample(file);
    const auto first = run(*db, text, options(preset, columns));
    for (const auto& e : first.report.errors)
      UNSCOPED_INFO("line " << e.line << " " << e.column << ": " << e.message);
    REQUIRE(first.report.error_count == 0);
    CHECK(first.report.rows == 10);
    CHECK(first.stored == 10);
    const auto summary = nps::summarize(db->scan_tally("shop"));
    REQUIRE(summary);
    CHECK(summary->n == 10);
    CHECK(summary->nps == Approx(20.0)); // 5 promoters, 2 passives, 3 detractors
    // Again: nothing more.
    const auto second = run(*db, text, options(preset, columns));
    CHECK(second.stored == 0);
    CHECK(db->count_responses("shop") == 10);
  }
}

TEST_CASE("import: dates keep their zone, channels and attributes follow, comments are kept as written",
          "[import]") {
  TempDir dir;
  auto db = open_test_storage(dir, "import");
  db->put_survey(survey_record(), 1);
  REQUIRE(run(*db, sample("delighted.csv"), options(imp::Preset::delighted)).stored == 10);
  auto r = db->find_response("shop", "imp:delighted:102");
  REQUIRE(r);
  CHECK(r->response.comment == "Fast, friendly");
  CHECK(r->response.channel == nps::Channel::web);
  CHECK(r->response.respondent_id == "bob@example.com");
  CHECK(r->response.attributes["plan"] == "free");
  // 23:30 at -08:00 is 07:30 the next day in UTC: the answer counts on 2025-03-02.
  CHECK(r->received_at == 1740900600000);
  r = db->find_response("shop", "imp:delighted:107");
  REQUIRE(r);
  CHECK(r->response.comment == "Broken \"again\"");
  r = db->find_response("shop", "imp:delighted:105");
  REQUIRE(r);
  CHECK(r->response.channel == nps::Channel::import);          // kiosk
  CHECK_FALSE(db->find_response("shop", "imp:delighted:111")); // a CSAT answer is not an NPS answer
  TempDir q;
  auto qdb = open_test_storage(q, "qualtrics");
  qdb->put_survey(survey_record(), 1);
  REQUIRE(run(*qdb, sample("qualtrics.csv"), options(imp::Preset::qualtrics, {{"comment", "Q2"}})).stored ==
          10);
  auto a = qdb->find_response("shop", "imp:qualtrics:R_000000000000004");
  REQUIRE(a);
  CHECK(a->response.locale == "zh-Hans");
  CHECK(a->response.comment == "Fine");
  CHECK(qdb->find_response("shop", "imp:qualtrics:R_000000000000002")->response.channel ==
        nps::Channel::link);
}

TEST_CASE("import: a bad line is reported with its line and column and nothing is stored", "[import]") {
  TempDir dir;
  auto db = open_test_storage(dir, "import");
  db->put_survey(survey_record(), 1);
  const std::string text = "Response ID,Score,Created At\n"
                           "a1,9,2025-03-01T10:00:00Z\n"
                           "a2,11,2025-03-01T10:00:00Z\n"
                           "a3,8,2025-02-30T10:00:00Z\n"
                           "a4,7\n"
                           "a5,6,03/04/2025 10:00\n";
  const auto out = run(*db, text, options(imp::Preset::wootric));
  REQUIRE(out.report.error_count == 4);
  CHECK(out.report.errors[0].line == 3);
  CHECK(out.report.errors[0].column == "Score");
  CHECK(out.report.errors[1].line == 4);
  CHECK(out.report.errors[1].column == "Created At");
  CHECK(out.report.errors[1].message.find("no such day") != std::string::npos);
  CHECK(out.report.errors[2].line == 5);
  CHECK(out.report.errors[3].message.find("--date-order") != std::string::npos);
  CHECK(db->count_responses("shop") == 0);
  // A missing column is named before any row is read.
  const auto none = imp::validate("Response ID,Created At\na1,2025-03-01\n", options(imp::Preset::wootric));
  REQUIRE(none.error_count == 1);
  CHECK(none.errors[0].message.find("no score column") != std::string::npos);
}

TEST_CASE("import: a survey asked on 1 to 10 is refused unless a mapping is chosen", "[import]") {
  std::string text = "id,score,date\n";
  for (int i = 0; i < 40; ++i)
    text += "r" + std::to_string(i) + "," + std::to_string(1 + i % 10) + ",2025-03-01\n";
  auto o = options(imp::Preset::custom, {{"id", "id"}, {"score", "score"}, {"date", "date"}});
  const auto refused = imp::validate(text, o);
  REQUIRE(refused.error_count == 1);
  CHECK(refused.errors[0].message.find("1-10") != std::string::npos);
  o.scale = imp::Scale::one_to_ten;
  CHECK(imp::validate(text, o).error_count == 1); // a scale without a mapping
  o.scale_map = imp::ScaleMap::stretch;
  TempDir dir;
  auto db = open_test_storage(dir, "import");
  db->put_survey(survey_record(), 1);
  REQUIRE(run(*db, text, o).stored == 40);
  const auto t = db->scan_tally("shop");
  CHECK(t.counts()[0] == 4);         // the 1s
  CHECK(t.counts()[10] == 4);        // the 10s
  o.scale = imp::Scale::zero_to_ten; // said to be 0-10 after all: read as written
  o.scale_map = imp::ScaleMap::none;
  CHECK(imp::validate(text, o).error_count == 0);
}

TEST_CASE("import: times are read in every documented form, strictly", "[import]") {
  std::string why;
  using imp::DateOrder;
  CHECK(imp::parse_time("2025-03-01T10:00:00Z", 0, DateOrder::none, why) == 1740823200000);
  CHECK(imp::parse_time("2025-03-01 10:00:00 -0800", 0, DateOrder::none, why) == 1740852000000);
  CHECK(imp::parse_time("2025-03-01T12:00:00.250+02:00", 0, DateOrder::none, why) == 1740823200250);
  CHECK(imp::parse_time("2025-03-01 10:00", 120, DateOrder::none, why) == 1740816000000);
  CHECK(imp::parse_time("03/01/2025 10:00 AM", 0, DateOrder::mdy, why) == 1740823200000);
  CHECK(imp::parse_time("01/03/2025 10:00 PM", 0, DateOrder::dmy, why) == 1740866400000);
  CHECK(imp::parse_time("1740823200", 0, DateOrder::none, why) == 1740823200000);
  CHECK(imp::parse_time("2025-03-01", 0, DateOrder::none, why) == 1740787200000);
  CHECK_FALSE(imp::parse_time("2025-13-01", 0, DateOrder::none, why));
  CHECK_FALSE(imp::parse_time("2025-03-01 25:00", 0, DateOrder::none, why));
  CHECK_FALSE(imp::parse_time("2025-03-01T10:00:00 CET", 0, DateOrder::none, why));
  CHECK_FALSE(imp::parse_time("yesterday", 0, DateOrder::none, why));
}

TEST_CASE("import: dates without a zone are read in an IANA time zone with its clock changes", "[import]") {
  std::string why;
  using imp::DateOrder;
  const std::string ny = "America/New_York";
  // 9 March 2025: New York's clocks go from 02:00 EST to 03:00 EDT.
  CHECK(imp::parse_time_in("2025-03-09 01:30", 0, ny, DateOrder::none, why) == 1741501800000); // 06:30Z
  CHECK(imp::parse_time_in("2025-03-09 03:30", 0, ny, DateOrder::none, why) == 1741505400000); // 07:30Z
  CHECK_FALSE(imp::parse_time_in("2025-03-09 02:30", 0, ny, DateOrder::none, why)); // never on a clock there
  CHECK(why.find("does not exist") != std::string::npos);
  // 2 November 2025: 01:30 happens twice; the earlier (EDT) is taken.
  CHECK(imp::parse_time_in("2025-11-02 01:30", 0, ny, DateOrder::none, why) == 1762061400000); // 05:30Z
  // A date written with its zone keeps it; Unix time is Unix time; no zone: the offset.
  CHECK(imp::parse_time_in("2025-03-01 10:00:00 -0800", 0, ny, DateOrder::none, why) == 1740852000000);
  CHECK(imp::parse_time_in("1740823200", 0, ny, DateOrder::none, why) == 1740823200000);
  CHECK(imp::parse_time_in("2025-03-01 10:00", 120, "", DateOrder::none, why) == 1740816000000);

  imp::Options o;
  CHECK_FALSE(imp::set_option(o, "time-zone", "Europe/Madrid"));
  CHECK(o.time_zone == "Europe/Madrid");
  CHECK(imp::set_option(o, "time-zone", "Mars/Olympus_Mons")->rfind("time-zone:", 0) == 0);

  // A Qualtrics export names its dates' zone in its third row: used unless one is given.
  std::string csv = sample("qualtrics.csv");
  const std::string utc = "\"{\"\"ImportId\"\":\"\"recordedDate\"\",\"\"timeZone\"\":\"\"UTC\"\"}\"";
  REQUIRE(csv.find(utc) != std::string::npos);
  csv.replace(csv.find(utc), utc.size(),
              "\"{\"\"ImportId\"\":\"\"recordedDate\"\",\"\"timeZone\"\":\"\"America/Denver\"\"}\"");
  TempDir q;
  auto db = open_test_storage(q, "denver");
  db->put_survey(survey_record(), 1);
  REQUIRE(run(*db, csv, options(imp::Preset::qualtrics, {{"comment", "Q2"}})).stored == 10);
  // Recorded 2025-03-01 10:05:00 in Denver (MST, -07:00): 17:05Z.
  CHECK(db->find_response("shop", "imp:qualtrics:R_000000000000001")->received_at == 1740848700000);
}

TEST_CASE("import: npsd's own export, imported into an empty database, gives the same summary and trend",
          "[server][import]") {
  using npsd::test::Running;
  Running a;
  REQUIRE(npsd::test::create_survey(a, nps::json::parse(R"({"id":"shop","name":"Shop"})")) == 201);
  auto client = a.client();
  const std::vector<std::tuple<int, const char*, const char*, const char*>> answers = {
      {10, "web", "en", "Great, really"},  {9, "app", "es", ""},
      {3, "email", "en", "=SUM(A1)"},      {7, "web", "fr", "Bien"},
      {0, "link", "de", "Nein"},           {8, "sms", "ru", ""},
      {6, "api", "en", "meh\nsecond line"}};
  int i = 0;
  for (const auto& [score, channel, locale, comment] : answers) {
    *a.now += 86'400'000LL / 2; // two answers a day
    nps::json body = {{"score", score},
                      {"channel", channel},
                      {"locale", locale},
                      {"idempotency_key", "key-0000-" + std::to_string(i++)},
                      {"attributes", {{"plan", i % 2 ? "pro" : "free"}}}};
    if (*comment) body["comment"] = comment;
    REQUIRE(npsd::test::post_response(*client, "shop", body)->status == 201);
  }
  const auto exported = client->Get("/v1/admin/surveys/shop/export?format=csv", a.admin());
  REQUIRE(exported);
  REQUIRE(exported->status == 200);

  Running b;
  REQUIRE(npsd::test::create_survey(b, nps::json::parse(R"({"id":"shop","name":"Shop"})")) == 201);
  auto bc = b.client();
  auto imported =
      bc->Post("/v1/admin/surveys/shop/import?preset=npsd", b.admin(), exported->body, "text/csv");
  REQUIRE(imported);
  INFO(imported->body);
  REQUIRE(imported->status == 200);
  CHECK(npsd::test::body_of(imported)["stored"] == answers.size());
  *b.now = a.now->load(); // the same "today" for both servers
  for (const char* path : {"/v1/admin/surveys/shop/summary?from=2025-06-01&to=2025-07-31",
                           "/v1/admin/surveys/shop/trend?from=2025-06-01&to=2025-07-31"}) {
    INFO(path);
    const auto x = client->Get(path, a.admin()), y = bc->Get(path, b.admin());
    REQUIRE(x);
    REQUIRE(y);
    CHECK(x->status == 200);
    CHECK(x->body == y->body);
  }
  const auto again =
      bc->Post("/v1/admin/surveys/shop/import?preset=npsd", b.admin(), exported->body, "text/csv");
  REQUIRE(again);
  CHECK(npsd::test::body_of(again)["stored"] == 0);
  CHECK(npsd::test::body_of(again)["duplicates"] == answers.size());
  const auto x = b.server->storage().find_response("shop", "key-0000-2");
  REQUIRE(x);
  CHECK(x->response.comment == "=SUM(A1)");
  CHECK(b.server->storage().find_response("shop", "key-0000-6")->response.comment == "meh\nsecond line");

  const auto bad = bc->Post(
      "/v1/admin/surveys/shop/import?preset=npsd", b.admin(),
      npsd::csv_export_header() + "1,not a time,shop,9,promoter,,web,,,,,,,,k-12345678\r\n", "text/csv");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(npsd::test::body_of(bad)["report"]["lines"][0]["line"] == 2);
}
