#include "nps/json.hpp"
#include "nps/privacy.hpp"
#include "nps/response.hpp"

#include <catch2/catch.hpp>

#include <random>

using nps::json;

namespace {
json minimal() { return json{{"survey_id", "checkout"}, {"score", 9}, {"idempotency_key", "k-12345678"}}; }
} // namespace

TEST_CASE("response: a minimal response is valid and normalised", "[core][response]") {
  json j = minimal();
  j["comment"] = "  Muy buen servicio \r\n gracias  ";
  j["locale"] = "es_mx";
  auto r = nps::parse_response(j);
  REQUIRE(r.ok());
  CHECK(r->score.value() == 9);
  CHECK(r->category() == nps::Category::promoter);
  CHECK(r->comment == "Muy buen servicio \n gracias");
  CHECK(r->locale == "es-MX");
  CHECK(r->channel == nps::Channel::api);
}

TEST_CASE("response: blank comments are absent, not empty", "[core][response]") {
  json j = minimal();
  j["comment"] = " \xE3\x80\x80 ";
  CHECK_FALSE(nps::parse_response(j)->comment.has_value());
}

TEST_CASE("response: every problem is reported with its path", "[core][response]") {
  json j = {{"score", "9"},      {"comment", std::string(5001, 'a')},
            {"channel", "fax"},  {"attributes", {{"plan", "pro"}, {"bad key", 1}, {"nested", {{"x", 1}}}}},
            {"client_time", 12}, {"coment", "typo"}};
  auto r = nps::parse_response(j);
  REQUIRE_FALSE(r.ok());
  std::vector<std::string> paths;
  for (const auto& e : r.errors())
    paths.push_back(e.path);
  CHECK_THAT(paths, Catch::Matchers::UnorderedEquals(std::vector<std::string>{
                        "score", "comment", "channel", "attributes[\"bad key\"]", "attributes.nested",
                        "client_time", "coment", "survey_id", "idempotency_key"}));
}

TEST_CASE("response: scores must be whole numbers 0 to 10", "[core][response]") {
  for (const json& bad : {json(11), json(-1), json(9.5), json("9"), json(nullptr), json(1e300)}) {
    json j = minimal();
    j["score"] = bad;
    auto r = nps::parse_response(j);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().path == "score");
  }
  json j = minimal();
  j["score"] = 7.0;
  CHECK(nps::parse_response(j)->score.value() == 7);
}

TEST_CASE("response: invalid UTF-8 in text is named", "[core][response]") {
  json j = minimal();
  j["comment"] = std::string("bad \xFF byte");
  auto r = nps::parse_response(j);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == nps::ErrorCode::invalid_utf8);
  CHECK(r.error().path == "comment");
}

TEST_CASE("response: caps are in characters, not bytes", "[core][response]") {
  json j = minimal();
  std::string chinese;
  for (int i = 0; i < 5000; ++i)
    chinese += "好"; // 15,000 bytes, 5,000 characters
  j["comment"] = chinese;
  CHECK(nps::parse_response(j).ok());
  j["comment"] = chinese + "好";
  CHECK(nps::parse_response(j).error().code == nps::ErrorCode::too_long);
}

TEST_CASE("response: stored as its survey's privacy allows: the page without query and fragment",
          "[core][response][privacy]") {
  json j = minimal();
  j["page"] = " https://shop.example/done?email=ann%40mail.example#receipt ";
  j["attributes"] = {{"email", "ann@mail.example"}, {"plan", "pro"}};
  auto r = nps::parse_response(j);
  REQUIRE(r.ok());
  nps::Response stored = *r;
  nps::apply_privacy(nps::Privacy{}, stored);
  CHECK(stored.page == "https://shop.example/done");
  CHECK(stored.attributes == r->attributes); // personal attributes are stored, hidden from viewers
  nps::Response kept = *r;
  nps::apply_privacy(nps::Privacy{{}, true}, kept);
  CHECK(kept == *r);
  j["page"] = "?email=ann%40mail.example";
  nps::Response only_query = *nps::parse_response(j);
  nps::apply_privacy(nps::Privacy{}, only_query);
  CHECK_FALSE(only_query.page.has_value());
}

TEST_CASE("response: viewers see attributes without the personal ones", "[core][response][privacy]") {
  const nps::Privacy p{{"customer_no"}, false};
  const json attributes = {
      {"Email", "a@b.example"}, {"customerNo", 7}, {"plan", "pro"}, {"last-name", "Lee"}};
  CHECK(nps::without_personal(p, attributes) == json{{"plan", "pro"}});
  CHECK(nps::is_personal_attribute(p, "CUSTOMER.NO"));
  CHECK_FALSE(nps::is_personal_attribute(p, "customer"));
  CHECK_FALSE(nps::is_personal_attribute(nps::Privacy{}, "customer_no"));
  CHECK_FALSE(nps::is_personal_attribute(p, "")); // no name is no attribute
}

TEST_CASE("response: property: decode(encode(x)) == x", "[core][response][property]") {
  std::mt19937_64 rng(42);
  const std::vector<std::string> comments = {"", "great", "Отлично, спасибо", "太慢了", "لا بأس", "a\nb"};
  const std::vector<std::string> channels = {"web", "app", "email", "link", "sms", "import", "api"};
  for (int i = 0; i < 300; ++i) {
    json j = minimal();
    j["score"] = std::uniform_int_distribution<int>(0, 10)(rng);
    j["comment"] = comments[rng() % comments.size()];
    j["channel"] = channels[rng() % channels.size()];
    if (rng() % 2) j["locale"] = "pt-BR";
    if (rng() % 2) j["respondent_id"] = "user-" + std::to_string(rng() % 1000);
    if (rng() % 2)
      j["attributes"] = {
          {"plan", "pro"}, {"seats", static_cast<int>(rng() % 500)}, {"trial", bool(rng() % 2)}};
    if (rng() % 2) j["answers"] = {{"reason", "price"}, {"features", {"export", "api"}}, {"ease", 4}};
    if (rng() % 2) j["client_time"] = 1763876356000 + static_cast<std::int64_t>(rng() % 100000);
    if (rng() % 2) j["device"] = "mobile";
    auto first = nps::parse_response(j);
    REQUIRE(first.ok());
    auto second = nps::parse_response(nps::to_json(*first));
    REQUIRE(second.ok());
    CHECK(*second == *first);
  }
}

TEST_CASE("json: a NUL byte after the value is an error, not the end of the input", "[json]") {
  using namespace std::string_literals;
  CHECK(nps::parse_json(R"({"score":9})").ok());
  const auto bad = nps::parse_json("{\"score\":9}\0junk"s);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.errors().front().code == nps::ErrorCode::parse_error);
  CHECK(nps::parse_json(R"({"comment":"a\u0000b"})").ok()); // escaped inside a string: fine
}
