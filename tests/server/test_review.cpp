// issue 19, item 13b: the draft-sharing link. An editor shares; the page shows each
// language's texts, stores nothing and has no form; forged, altered, foreign and expired
// tokens are refused; a viewer cannot share; a changed survey is said so.
#include "http_support.hpp"
#include "signed_links.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

const json kSurvey = {
    {"id", "shop"},
    {"name", "Shop"},
    {"product", "Acme"},
    {"default_locale", "en"},
    {"locales", {"en", "es", "ar"}},
    {"question",
     {{"en", "How likely are you to recommend Acme?"},
      {"es", "¿Recomendarías Acme?"},
      {"ar", "ما مدى احتمال أن توصي بـ Acme؟"}}},
    {"followup",
     {{"detractor",
       {{"text", {{"en", "What went wrong?"}, {"es", "¿Qué salió mal?"}, {"ar", "ما الذي حدث؟"}}},
        {"questions",
         {{{"id", "area"},
           {"type", "single"},
           {"text", {{"en", "Which area?"}, {"es", "¿Qué área?"}, {"ar", "أي مجال؟"}}},
           {"options",
            {{{"id", "price"}, {"label", {{"en", "Price"}, {"es", "Precio"}, {"ar", "السعر"}}}},
             {{"id", "speed"}, {"label", {{"en", "Speed"}, {"es", "Rapidez"}, {"ar", "السرعة"}}}}}}}}}}},
      {"promoter", {{"thanks", {{"en", "Thanks, fan!"}, {"es", "¡Gracias, fan!"}, {"ar", "شكرًا لك!"}}}}}}}};

struct Shared {
  int status = 0;
  std::string url, path;
  json body;
};

Shared share(Running& s, const httplib::Headers& who, const std::string& body = "") {
  auto r = s.client()->Post("/v1/admin/surveys/shop/share", who, body, "application/json");
  REQUIRE(r);
  Shared out{r->status, "", "", body_of(r)};
  if (r->status == 201) {
    out.url = out.body["url"].get<std::string>();
    out.path = out.url.substr(out.url.find("/review/"));
  }
  return out;
}

httplib::Result page(Running& s, const std::string& path, const std::string& lang = "en") {
  return s.client()->Get(path.c_str(), {{"Accept-Language", lang}});
}

} // namespace

TEST_CASE("review: an editor shares, a colleague reads every language and nothing is stored",
          "[server][review]") {
  Running s;
  REQUIRE(create_survey(s, kSurvey) == 201);
  const auto shared = share(s, s.admin());
  REQUIRE(shared.status == 201);
  CHECK(shared.url.rfind("http://127.0.0.1:", 0) == 0);
  CHECK(shared.body["expires_at"].get<std::string>().rfind("2", 0) == 0);
  const auto before = s.server->storage().count_responses("shop");

  auto r = page(s, shared.path, "es");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const auto& html = r->body;
  for (const char* text :
       {"How likely are you to recommend Acme?", "¿Recomendarías Acme?", "ما مدى احتمال أن توصي بـ Acme؟",
        "What went wrong?", "¿Qué salió mal?", "ما الذي حدث؟", "Which area?", "Precio", "السرعة",
        "Thanks, fan!", "¡Gracias, fan!", "شكرًا لك!"})
    CHECK(html.find(text) != std::string::npos);
  CHECK(html.find("lang=\"ar\" dir=\"rtl\"") != std::string::npos);
  CHECK(html.find("<html lang=\"es\"") != std::string::npos); // the page's own words in the reader's language
  CHECK(html.find("Borrador de encuesta para revisar") != std::string::npos);
  // No way to answer: no form, no input, no button, no script; the CSP allows none.
  for (const char* tag : {"<form", "<input", "<button", "<textarea", "<script", "<select"})
    CHECK(html.find(tag) == std::string::npos);
  // The server's own policy for every page and the page's: a browser applies both.
  std::string csp;
  for (std::size_t i = 0; i < r->get_header_value_count("Content-Security-Policy"); ++i)
    csp += r->get_header_value("Content-Security-Policy", i) + "\n";
  CHECK(csp.find("form-action 'none'") != std::string::npos);
  CHECK(csp.find("script-src") == std::string::npos);
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(r->get_header_value("Cache-Control") == "no-store");
  CHECK(html.find("data-test=\"changed\"") == std::string::npos);
  // Nothing stored by reading it, nor by a POST to it.
  auto post = s.client()->Post(shared.path.c_str(), R"({"score":9})", "application/json");
  REQUIRE(post);
  CHECK(post->status >= 400);
  CHECK(s.server->storage().count_responses("shop") == before);

  // Right to left for a reader in Arabic.
  auto ar = page(s, shared.path, "ar");
  REQUIRE(ar);
  CHECK(ar->body.find("<html lang=\"ar\" dir=\"rtl\"") != std::string::npos);
}

TEST_CASE("review: forged, altered, foreign and expired tokens are refused", "[server][review]") {
  Running s;
  REQUIRE(create_survey(s, kSurvey) == 201);
  const auto shared = share(s, s.admin(), R"({"days":1})");
  REQUIRE(shared.status == 201);
  const std::string token = shared.path.substr(std::string("/review/").size());

  // Another secret's token for the same claims.
  const auto forged =
      sign_link("another-secret-0123456789abcdef-xyz", {'v', "shop", "1", -1, 4'000'000'000, ""});
  auto r = page(s, "/review/" + forged);
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(r->body.find("This review link does not work") != std::string::npos);
  // Each character changed in turn.
  for (std::size_t i = 0; i < token.size(); i += 3) {
    std::string t = token;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    auto x = page(s, "/review/" + t);
    REQUIRE(x);
    CHECK(x->status == 404);
  }
  // The payload of another survey under this signature.
  auto payload = *from_base64url(token.substr(0, token.find('.')));
  payload.replace(2, 4, "shoq");
  auto y = page(s, "/review/" + base64url(payload) + token.substr(token.find('.')));
  REQUIRE(y);
  CHECK(y->status == 404);
  // An answer link of the survey is not a review link.
  auto links =
      s.client()->Post("/v1/admin/surveys/shop/links", s.admin(), R"({"single_use":1})", "application/json");
  REQUIRE(links);
  const auto link = body_of(links)["links"][0].get<std::string>();
  auto z = page(s, "/review/" + link.substr(link.find("?t=") + 3));
  REQUIRE(z);
  CHECK(z->status == 404);

  // One day later and a second: expired, said so in the reader's language.
  s.now->store(kNow + 86'400'000LL + 2'000);
  auto e = page(s, shared.path, "de");
  REQUIRE(e);
  CHECK(e->status == 410);
  CHECK(e->body.find("abgelaufen") != std::string::npos);
}

TEST_CASE("review: the body is read strictly, a viewer cannot share, a change is noticed",
          "[server][review]") {
  Running s;
  REQUIRE(create_survey(s, kSurvey) == 201);
  for (const char* bad : {R"({"days":0})", R"({"days":91})", R"({"days":"3"})", R"({"day":3})", "[]", "{"})
    CHECK(share(s, s.admin(), bad).status == 400);
  CHECK(share(s, s.admin(), R"({"days":90})").status == 201);
  auto tok =
      s.client()->Post("/v1/admin/tokens", s.admin(), R"({"role":"viewer","name":"v"})", "application/json");
  REQUIRE(tok);
  const std::string viewer = body_of(tok)["token"];
  CHECK(share(s, {{"Authorization", "Bearer " + viewer}}).status == 403);
  CHECK(s.client()->Post("/v1/admin/surveys/nope/share", s.admin(), "", "application/json")->status == 404);

  const auto shared = share(s, s.admin());
  REQUIRE(shared.status == 201);
  json changed = kSurvey;
  changed["question"]["en"] = "Would you recommend Acme to a friend?";
  auto put = s.client()->Put("/v1/admin/surveys/shop", s.admin(), changed.dump(), "application/json");
  REQUIRE(put);
  REQUIRE(put->status == 200);
  auto r = page(s, shared.path);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("data-test=\"changed\"") != std::string::npos);
  CHECK(r->body.find("Would you recommend Acme to a friend?") != std::string::npos);
}

TEST_CASE("review: a qualifying question is shown first, with the answers that lead to the score",
          "[server][review]") {
  Running s;
  json survey = {{"id", "qualified"},
                 {"locales", {"en", "es"}},
                 {"qualify",
                  {{"question",
                    {{"id", "bought"},
                     {"type", "single"},
                     {"text", {{"en", "Did you buy this month?"}, {"es", "¿Compraste este mes?"}}},
                     {"options",
                      {{{"id", "yes"}, {"label", {{"en", "Yes"}, {"es", "Sí"}}}},
                       {{"id", "no"}, {"label", {{"en", "No"}, {"es", "No"}}}}}}}},
                   {"accept", {"yes"}}}}};
  REQUIRE(create_survey(s, survey) == 201);
  auto r = s.client()->Post("/v1/admin/surveys/qualified/share", s.admin(), "", "application/json");
  REQUIRE(r->status == 201);
  const std::string url = body_of(r)["url"];
  const auto page = s.client()->Get(url.substr(url.find("/review/")).c_str(), {{"Accept-Language", "en"}});
  REQUIRE(page->status == 200);
  const auto& html = page->body;
  CHECK(html.find("data-test=\"qualify\"") != std::string::npos);
  CHECK(html.find("Did you buy this month?") != std::string::npos);
  CHECK(html.find("¿Compraste este mes?") != std::string::npos);
  CHECK(html.find("only those who answer “Yes” are asked it") != std::string::npos);
  CHECK(html.find("only those who answer “Sí” are asked it") != std::string::npos); // the Spanish section
  // Then the score, as for anyone who qualified.
  CHECK(html.find("data-test=\"qualify\"") < html.find("data-test=\"question\""));
}
