// Signed links and link surveys (issue 14): the token, the landing pages over real HTTP,
// what records an answer and what never does, strict mode, single-use links, QR codes, and
// the link store on both engines.
#include "email_store.hpp"
#include "http_support.hpp"
#include "link_flow.hpp"
#include "signed_links.hpp"
#include "storage_support.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-test";

void add_shop(Running& s) {
  REQUIRE(
      create_survey(
          s, {{"id", "shop"},
              {"name", "Shop"},
              {"product", "Acme"},
              {"theme", {{"accent", "#aa3300"}}},
              {"followup",
               {{"promoter",
                 {{"thanks_link", {{"url", "https://reviews.example/acme"}, {"append_score", true}}}}}}}}) ==
      201);
}

// The eleven links of one recipient, made through the admin API.
std::vector<std::string> links_for(Running& s, const std::string& recipient, const std::string& locale = "",
                                   int days = 30) {
  json body = {{"recipient", recipient}, {"expires_in_days", days}};
  if (!locale.empty()) body["locale"] = locale;
  auto r = s.client()->Post("/v1/admin/surveys/shop/links", s.admin(), body.dump(), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  std::vector<std::string> out;
  const json made = body_of(r);
  for (const auto& l : made["links"])
    out.push_back(l.get<std::string>().substr(l.get<std::string>().find("/r/")));
  REQUIRE(out.size() == 11);
  return out;
}

httplib::Result answer(Running& s, const std::string& path, int score,
                       const std::string& signal = "interaction") {
  return s.client()->Post(path.c_str(), json{{"score", score}, {"signal", signal}}.dump(),
                          "application/json");
}

std::uint64_t stored(Running& s) { return s.server->storage().count_responses("shop"); }

} // namespace

TEST_CASE("links: a signed link reads back what it claims, and any change to it is refused", "[links]") {
  const LinkClaims c{'r', "shop", "contact-17", 9, 2'000'000'000, "es"};
  const auto token = sign_link(kSecret, c);
  auto v = verify_link(kSecret, token, 1'900'000'000);
  REQUIRE(v.status == LinkCheck::ok);
  CHECK(v.claims == c);
  CHECK(verify_link(kSecret, token, 2'000'000'001).status == LinkCheck::expired);
  CHECK(verify_link(kSecret + "x", token, 1'900'000'000).status == LinkCheck::bad_signature);
  // Every other score, recipient or survey under the same signature is refused.
  for (int score = 0; score <= 10; ++score) {
    if (score == 9) continue;
    LinkClaims other = c;
    other.score = score;
    const auto forged = sign_link(kSecret, other).substr(0, token.find('.')) + token.substr(token.find('.'));
    CHECK(verify_link(kSecret, forged, 1'900'000'000).status == LinkCheck::bad_signature);
  }
  // Each character changed in turn: never accepted.
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string t = token;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    CHECK(verify_link(kSecret, t, 1'900'000'000).status != LinkCheck::ok);
  }
  for (const std::string& bad :
       std::vector<std::string>{"", ".", "abc", "a.b.c", token + ".", token + "=", "%%%.%%%"})
    CHECK(verify_link(kSecret, bad, 1'900'000'000).status == LinkCheck::malformed);
  CHECK_THROWS(sign_link("short", c));
}

TEST_CASE("links: opening, HEAD and prefetch of a score link record nothing and show the score chosen",
          "[server][links]") {
  Running s;
  add_shop(s);
  const auto links = links_for(s, "contact-1", "ar");
  auto c = s.client();
  auto page = c->Get(links[9].c_str());
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->get_header_value("Cache-Control") == "no-store");
  CHECK(page->body.find("lang=\"ar\" dir=\"rtl\"") != std::string::npos);
  CHECK(page->body.find("--accent:#aa3300") != std::string::npos);
  CHECK(page->body.find("data-score=\"9\" aria-pressed=\"true\"") != std::string::npos);
  CHECK(page->body.find("data-score=\"8\" aria-pressed=\"false\"") != std::string::npos);
  CHECK(page->body.find("إجابتك: 9") != std::string::npos); // "Your answer: 9" in Arabic
  CHECK(c->Head(links[3].c_str())->status == 200);
  CHECK(c->Get(links[0].c_str(), {{"Purpose", "prefetch"}, {"Sec-Purpose", "prefetch"}})->status == 200);
  for (const auto& l : links)
    CHECK(c->Get(l.c_str())->status == 200);
  CHECK(stored(s) == 0);
}

TEST_CASE("links: a person's answer is stored once per message, a replay or another score changes nothing, "
          "and a detractor's comment joins the follow-up queue",
          "[server][links]") {
  Running s;
  add_shop(s);
  const auto links = links_for(s, "contact-2");
  auto first = answer(s, links[3], 3);
  REQUIRE(first);
  CHECK(first->status == 201);
  CHECK(body_of(first)["category"] == "detractor");
  auto replay = answer(s, links[3], 3);
  CHECK(replay->status == 200);
  CHECK(body_of(replay)["duplicate"] == true);
  auto other = answer(s, links[10], 10);
  CHECK(body_of(other)["score"] == 3);
  CHECK(stored(s) == 1);
  auto saved = s.server->storage().find_response("shop", "r-contact-2");
  REQUIRE(saved);
  CHECK(saved->response.score.value() == 3);
  CHECK(saved->response.channel == nps::Channel::email);
  CHECK(saved->response.respondent_id == "contact-2");
  // The page now says it was answered and offers nothing to record.
  CHECK(s.client()->Get(links[5].c_str())->body.find("\"answered\":true") != std::string::npos);

  auto fu = s.client()->Post((links[3] + "/follow-up").c_str(), json{{"comment", "Delivery was late"}}.dump(),
                             "application/json");
  REQUIRE(fu);
  CHECK(fu->status == 200);
  auto again = s.client()->Post((links[3] + "/follow-up").c_str(),
                                json{{"comment", "Changed my mind"}}.dump(), "application/json");
  CHECK(again->status == 409);
  FollowUpFilter f;
  f.survey_id = "shop";
  const auto queue = s.server->storage().follow_ups(f, std::nullopt, 10);
  REQUIRE(queue.size() == 1);
  CHECK(queue[0].response.response.comment == "Delivery was late");
}

TEST_CASE("links: a promoter may allow quoting and gets the survey's review link", "[server][links]") {
  Running s;
  add_shop(s);
  const auto links = links_for(s, "contact-3");
  REQUIRE(answer(s, links[10], 10)->status == 201);
  auto fu =
      s.client()->Post((links[10] + "/follow-up").c_str(),
                       json{{"comment", "Best shop in town"}, {"quote_ok", true}}.dump(), "application/json");
  REQUIRE(fu);
  CHECK(fu->status == 200);
  CHECK(body_of(fu)["link"]["url"] == "https://reviews.example/acme?nps_score=10");
  auto saved = s.server->storage().find_response("shop", "r-contact-3");
  CHECK(saved->response.answers["quote_permission"] == "yes");
}

TEST_CASE("links: tampered, expired and foreign links show a friendly page and store nothing",
          "[server][links]") {
  Running s;
  add_shop(s);
  REQUIRE(create_survey(s, {{"id", "other"}, {"name", "Other"}}) == 201);
  const auto links = links_for(s, "contact-4", "", 1);
  std::string tampered = links[9];
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  auto c = s.client();
  auto page = c->Get(tampered.c_str(), {{"Accept-Language", "es-MX,es;q=0.9"}});
  REQUIRE(page);
  CHECK(page->status == 400);
  CHECK(page->body.find("Este enlace no funciona") != std::string::npos);
  CHECK(answer(s, tampered, 9)->status == 400);
  // A single-use token of one survey does not open another.
  auto single =
      c->Post("/v1/admin/surveys/shop/links", s.admin(), json{{"single_use", 1}}.dump(), "application/json");
  const std::string url = body_of(single)["links"][0];
  const std::string token = url.substr(url.find("?t=") + 3);
  CHECK(c->Get(("/s/other?t=" + token).c_str())->status == 400);
  CHECK(c->Post("/s/other", json{{"score", 9}, {"signal", "interaction"}, {"t", token}}.dump(),
                "application/json")
            ->status == 400);
  // Two days later the one-day link has expired.
  s.now->store(kNow + 2 * 86'400'000LL);
  auto expired = c->Get(links[9].c_str());
  CHECK(expired->status == 410);
  CHECK(answer(s, links[9], 9)->status == 410);
  CHECK(stored(s) == 0);
  CHECK(s.server->storage().count_responses("other") == 0);
}

TEST_CASE("links: in strict mode only an explicit Send records", "[server][links]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  REQUIRE(c->Put("/v1/admin/surveys/shop/link-settings", s.admin(), R"({"strict":true})", "application/json")
              ->status == 200);
  const auto links = links_for(s, "contact-5");
  CHECK(c->Get(links[7].c_str())->body.find("\"strict\":true") != std::string::npos);
  CHECK(answer(s, links[7], 7, "interaction")->status == 403);
  CHECK(answer(s, links[7], 7, "visible")->status == 403);
  CHECK(stored(s) == 0);
  CHECK(answer(s, links[7], 7, "send")->status == 201);
  CHECK(stored(s) == 1);
  CHECK(c->Put("/v1/admin/surveys/shop/link-settings", s.admin(), R"({"strict":1})", "application/json")
            ->status == 400);
}

TEST_CASE("links: a single-use link answers once, a link survey page takes answers from anyone",
          "[server][links]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  auto made =
      c->Post("/v1/admin/surveys/shop/links", s.admin(), json{{"single_use", 2}}.dump(), "application/json");
  REQUIRE(made->status == 201);
  const std::string url = body_of(made)["links"][0];
  const std::string token = url.substr(url.find("?t=") + 3);
  CHECK(c->Get(("/s/shop?t=" + token).c_str())->status == 200);
  const auto post = [&](const json& b) { return c->Post("/s/shop", b.dump(), "application/json"); };
  CHECK(post({{"score", 8}, {"signal", "interaction"}, {"t", token}})->status == 201);
  CHECK(body_of(post({{"score", 2}, {"signal", "interaction"}, {"t", token}}))["duplicate"] == true);
  CHECK(c->Get(("/s/shop?t=" + token).c_str())->body.find("\"answered\":true") != std::string::npos);
  // The open page hands out a key; two people, two answers.
  auto page = c->Get("/s/shop");
  REQUIRE(page->status == 200);
  CHECK(post({{"score", 9}, {"signal", "interaction"}, {"key", "0123456789abcdef0123"}})->status == 201);
  CHECK(post({{"score", 6}, {"signal", "interaction"}, {"key", "fedcba98765432100123"}})->status == 201);
  CHECK(post({{"score", 6}, {"signal", "interaction"}, {"key", "short"}})->status == 400);
  CHECK(post({{"score", 11}, {"signal", "interaction"}, {"key", "fedcba98765432100124"}})->status == 400);
  CHECK(post({{"score", 6}, {"signal", "click"}, {"key", "fedcba98765432100124"}})->status == 400);
  CHECK(post({{"score", 6}, {"signal", "send"}, {"key", "fedcba98765432100124"}, {"x", 1}})->status == 400);
  CHECK(stored(s) == 3);
}

TEST_CASE("links: the survey's QR code comes as SVG and as a PNG of the asked scale", "[server][links]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  auto svg = c->Get("/s/shop/qr.svg");
  REQUIRE(svg);
  CHECK(svg->status == 200);
  CHECK(svg->get_header_value("Content-Type") == "image/svg+xml");
  CHECK(svg->body.rfind("<svg", 0) == 0);
  CHECK(svg->body.find("h1v1h-1z") != std::string::npos);
  auto png = c->Get("/s/shop/qr.png?scale=4");
  REQUIRE(png);
  CHECK(png->get_header_value("Content-Type") == "image/png");
  REQUIRE(png->body.size() > 33);
  CHECK(png->body.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  const auto be32 = [&](std::size_t at) {
    return (std::uint32_t(std::uint8_t(png->body[at])) << 24) |
           (std::uint32_t(std::uint8_t(png->body[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(png->body[at + 2])) << 8) |
           std::uint32_t(std::uint8_t(png->body[at + 3]));
  };
  // Version 1 or more: at least (21 + 8) modules of 4 pixels, square.
  CHECK(be32(16) == be32(20));
  CHECK(be32(16) >= 29 * 4);
  CHECK(be32(16) % 4 == 0);
  CHECK(c->Get("/s/shop/qr.png?scale=0")->status == 400);
  CHECK(c->Get("/s/none/qr.svg")->status == 404);
}

TEST_CASE("links: a viewer cannot make links, and links made before a restart still open after it",
          "[server][links]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  auto tok = c->Post("/v1/admin/tokens", s.admin(), R"({"role":"viewer","name":"v"})", "application/json");
  REQUIRE(tok);
  const std::string viewer = body_of(tok)["token"];
  auto refused = c->Post("/v1/admin/surveys/shop/links", {{"Authorization", "Bearer " + viewer}},
                         R"({"recipient":"contact-6"})", "application/json");
  CHECK(refused->status == 403);
  CHECK(c->Post("/v1/admin/surveys/shop/links", s.admin(), R"({"recipient":"a b"})", "application/json")
            ->status == 400);
  CHECK(c->Post("/v1/admin/surveys/shop/links", s.admin(), R"({})", "application/json")->status == 400);
  const auto links = links_for(s, "contact-6");
  s.restart();
  CHECK(s.client()->Get(links[4].c_str())->status == 200);
  CHECK(answer(s, links[4], 4)->status == 201);
}

TEST_CASE("storage: the link secret is made once and kept, link settings are kept per survey",
          "[storage][links]") {
  TempDir dir;
  {
    auto st = open_test_storage(dir, "links");
    CHECK(st->email().link_secret("first-secret-0123456789abcdef0123") ==
          "first-secret-0123456789abcdef0123");
    CHECK(st->email().link_secret("second-secret-0123456789abcdef012") ==
          "first-secret-0123456789abcdef0123");
    CHECK_FALSE(st->email().link_settings("shop").strict);
    st->email().put_link_settings("shop", {true});
    CHECK(st->email().link_settings("shop").strict);
    CHECK_FALSE(st->email().link_settings("other").strict);
  }
  auto again = open_test_storage(dir, "links");
  CHECK(again->email().link_secret("third-secret-0123456789abcdef0123") ==
        "first-secret-0123456789abcdef0123");
  CHECK(again->email().link_settings("shop").strict);
}

TEST_CASE("links: the additional questions are answered one at a time, in the flow's order, checked by the "
          "core's rules",
          "[server][links]") {
  Running s;
  REQUIRE(
      create_survey(
          s, {{"id", "shop"},
              {"name", "Shop"},
              {"followup",
               {{"detractor",
                 {{"questions",
                   {{{"id", "reason"},
                     {"type", "single"},
                     {"text", "Main reason?"},
                     {"required", true},
                     {"options",
                      {{{"id", "price"}, {"label", "Price"}}, {{"id", "delivery"}, {"label", "Delivery"}}}}},
                    {{"id", "effort"},
                     {"type", "rating"},
                     {"min", 1},
                     {"max", 5},
                     {"text", "Effort?"}}}}}}}}}) == 201);
  const auto links = links_for(s, "asked-2");
  auto c = s.client();
  const auto post = [&](const std::string& path, const json& body) {
    return c->Post((links[1] + path).c_str(), body.dump(), "application/json");
  };
  CHECK(post("/answer", {{"question", "reason"}, {"value", "price"}})->status == 404); // no answer yet
  REQUIRE(answer(s, links[1], 1)->status == 201);
  auto fu = post("/follow-up", {{"comment", "Too slow"}});
  REQUIRE(fu->status == 200);
  CHECK(body_of(fu)["question"]["id"] == "reason");
  CHECK(body_of(fu)["actions"]["skip"].is_null()); // required

  auto early = post("/answer", {{"question", "effort"}, {"value", 3}});
  CHECK(early->status == 400); // "reason" is required and comes first
  CHECK(body_of(early)["errors"][0]["path"] == "question");
  CHECK(post("/answer", {{"question", "reason"}, {"skip", true}})->status == 400);
  CHECK(post("/answer", {{"question", "reason"}, {"value", "teleport"}})->status == 400);
  CHECK(post("/answer", {{"question", "reason"}, {"value", "price"}, {"extra", 1}})->status == 400);
  auto first = post("/answer", {{"question", "reason"}, {"value", "price"}});
  REQUIRE(first->status == 200);
  CHECK(body_of(first)["question"]["id"] == "effort");
  CHECK(post("/answer", {{"question", "effort"}, {"value", 9}})->status == 400); // outside 1..5
  auto last = post("/answer", {{"question", "effort"}, {"value", 4}});
  REQUIRE(last->status == 200);
  CHECK(body_of(last).contains("thanks"));
  const auto saved = s.server->storage().find_response("shop", "r-asked-2");
  REQUIRE(saved);
  CHECK(saved->response.answers == json{{"reason", "price"}, {"effort", 4}});
  CHECK(saved->response.comment == "Too slow");
}

TEST_CASE("links: a survey with a qualifying question replays a link's answer from its score",
          "[email][links]") {
  auto survey = nps::parse_survey(
      {{"id", "shop"},
       {"qualify",
        {{"question",
          {{"id", "bought"},
           {"type", "single"},
           {"text", "Did you buy this month?"},
           {"options", {{{"id", "yes"}, {"label", "Yes"}}, {{"id", "no"}, {"label", "No"}}}}}},
         {"accept", {"yes"}}}}});
  REQUIRE(survey);
  nps::Response stored;
  stored.survey_id = "shop";
  stored.idempotency_key = "link-0000000001";
  stored.channel = nps::Channel::email;
  stored.score = nps::Score::from_int(3).value();
  const auto state = npsd::replay_link_flow(*survey, stored, "");
  REQUIRE(state);
  CHECK(state->step == nps::Step::thanks); // the follow-up answered (empty), nothing more asked
  CHECK(state->response.channel == nps::Channel::email);
}
