// The translation hand-off over HTTP (issue 19, item 13): a survey's texts out as CSV or
// XLIFF, translated, back in; stale and missing rows reported; a bad file names its line
// and stores nothing; a viewer is refused. The file formats' readers directly, too.
#include "http_support.hpp"
#include "survey_texts_files.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace npsd::test;
using nps::json;

namespace {

const json kShop = json::parse(R"({
  "id": "shop", "product": "Acme", "default_locale": "en", "locales": ["en", "es", "zh-Hans"],
  "question": {"en": "How likely are you to recommend {product}?"},
  "low_label": {"en": "=Never"},
  "followup": {
    "detractor": {"text": {"en": "What went wrong, \"exactly\"? <tell us> & more"},
                  "questions": [{"id": "area", "type": "single", "text": {"en": "Which area?"},
                                 "options": [{"id": "price", "label": {"en": "Price"}},
                                             {"id": "speed", "label": {"en": "Speed"}}]}]},
    "promoter": {"thanks": {"en": "Thank you,\nreally!"}}
  }
})");

std::string token_for(Running& s, const std::string& role) {
  auto r = s.client()->Post("/v1/admin/tokens", s.admin(), nps::dump(json{{"role", role}, {"name", role}}),
                            "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  return body_of(r)["token"];
}

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

json definition(Running& s) { return body_of(s.client()->Get("/v1/admin/surveys/shop", s.admin())); }

// Spanish for each English text of kShop.
std::string spanish(const std::string& en) {
  if (en == "Acme") return "Acme";
  if (en.rfind("How likely", 0) == 0) return "¿Recomendaría {product}?";
  if (en == "=Never") return "=Nunca";
  if (en.rfind("What went wrong", 0) == 0) return "¿Qué falló, \"exactamente\"? <cuéntenos> & más";
  if (en == "Which area?") return "¿Qué área?";
  if (en == "Price") return "Precio";
  if (en == "Speed") return "Rapidez";
  if (en == "Thank you,\nreally!") return "¡Gracias,\nde verdad!";
  return "";
}

// Fills every empty target of an exported file with `spanish` (the file as a translator's
// tool would give it back: the same rows and order).
std::vector<npsd::TextFileRow> translated(std::vector<npsd::TextFileRow> rows) {
  for (auto& r : rows)
    r.target = spanish(r.source);
  return rows;
}

} // namespace

TEST_CASE("survey texts: CSV out to Spanish and back, every text applied, saved as a new version",
          "[server][http][survey_texts]") {
  Running s;
  REQUIRE(create_survey(s, kShop) == 201);
  const std::string editor = token_for(s, "editor");
  auto out = s.client()->Get("/v1/admin/surveys/shop/texts?target=es&format=csv", bearer(editor));
  REQUIRE(out);
  REQUIRE(out->status == 200);
  CHECK(out->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
  CHECK(out->body.rfind("\xEF\xBB\xBFkey,source,target,state\r\n", 0) == 0); // Excel reads UTF-8
  CHECK(out->body.find("'=Never") != std::string::npos);                     // defused as a formula
  const auto read = npsd::read_texts_csv(out->body);
  REQUIRE(read.errors.empty());
  REQUIRE(read.rows.size() == 8);
  CHECK(read.rows[2].key == "low_label");
  CHECK(read.rows[2].source == "=Never");
  CHECK(read.rows[7].source == "Thank you,\nreally!");
  CHECK(read.rows[0].state == "missing");

  auto back = npsd::texts_csv(translated(read.rows));
  auto in = s.client()->Post("/v1/admin/surveys/shop/texts?target=es", bearer(editor), back, "text/csv");
  REQUIRE(in);
  INFO(in->body);
  REQUIRE(in->status == 200);
  const json report = body_of(in);
  CHECK(report["applied"] == 8);
  CHECK(report["missing"] == 0);
  CHECK(report["stale"] == 0);
  CHECK(report["saved"] == true);
  CHECK(report["version"] == 2);
  const json def = definition(s)["definition"];
  CHECK(def["question"]["es"] == "¿Recomendaría {product}?");
  CHECK(def["low_label"]["es"] == "=Nunca");
  CHECK(def["followup"]["promoter"]["thanks"]["es"] == "¡Gracias,\nde verdad!");
  CHECK(def["followup"]["detractor"]["questions"][0]["options"][0]["label"]["es"] == "Precio");
  // The public config serves it at once.
  auto config = body_of(s.client()->Get("/v1/surveys/shop/config"));
  CHECK(config["question"]["es"] == "¿Recomendaría {product}?");
  // A second export shows every text present.
  auto again = npsd::read_texts_csv(
      s.client()->Get("/v1/admin/surveys/shop/texts?target=es&format=csv", bearer(editor))->body);
  for (const auto& r : again.rows)
    CHECK(r.state == "present");
}

TEST_CASE("survey texts: XLIFF 2.0 out and back, escaped, with unit ids as NMTOKENs",
          "[server][http][survey_texts]") {
  Running s;
  REQUIRE(create_survey(s, kShop) == 201);
  auto out = s.client()->Get("/v1/admin/surveys/shop/texts?target=es&format=xliff", s.admin());
  REQUIRE(out);
  REQUIRE(out->status == 200);
  CHECK(out->get_header_value("Content-Type").rfind("application/xliff+xml", 0) == 0);
  const std::string& x = out->body;
  CHECK(x.find("version=\"2.0\" srcLang=\"en\" trgLang=\"es\"") != std::string::npos);
  CHECK(x.find("<unit id=\"followup.detractor.questions.0.options.0.label\">") != std::string::npos);
  CHECK(x.find("What went wrong, &quot;exactly&quot;? &lt;tell us&gt; &amp; more") != std::string::npos);
  const auto read = npsd::read_texts_xliff(x, "en", "es");
  REQUIRE(read.errors.empty());
  REQUIRE(read.rows.size() == 8);
  CHECK(read.rows[4].key == "followup.detractor.questions[0].text");
  CHECK(read.rows[3].source == "What went wrong, \"exactly\"? <tell us> & more");

  auto back = npsd::texts_xliff(translated(read.rows), "shop", "en", "es");
  auto in =
      s.client()->Post("/v1/admin/surveys/shop/texts?target=es", s.admin(), back, "application/xliff+xml");
  REQUIRE(in);
  INFO(in->body);
  REQUIRE(in->status == 200);
  CHECK(body_of(in)["applied"] == 8);
  CHECK(definition(s)["definition"]["followup"]["detractor"]["text"]["es"] ==
        "¿Qué falló, \"exactamente\"? <cuéntenos> & más");
  // Chinese goes through the same way.
  auto zh = npsd::read_texts_xliff(
      s.client()->Get("/v1/admin/surveys/shop/texts?target=zh-Hans&format=xliff", s.admin())->body, "en",
      "zh-Hans");
  REQUIRE(zh.errors.empty());
  zh.rows[1].target = "您向朋友推荐{product}的可能性有多大？";
  auto zin = s.client()->Post("/v1/admin/surveys/shop/texts?target=zh-Hans", s.admin(),
                              npsd::texts_xliff(zh.rows, "shop", "en", "zh-Hans"), "application/xliff+xml");
  REQUIRE(zin->status == 200);
  CHECK(body_of(zin)["applied"] == 1);
  CHECK(body_of(zin)["missing"] == 7);
  CHECK(definition(s)["definition"]["question"]["zh-Hans"] == "您向朋友推荐{product}的可能性有多大？");
}

TEST_CASE("survey texts: a text changed since the export is stale and not applied, an empty one is missing",
          "[server][http][survey_texts]") {
  Running s;
  REQUIRE(create_survey(s, kShop) == 201);
  const auto exported =
      npsd::read_texts_csv(s.client()->Get("/v1/admin/surveys/shop/texts?target=es", s.admin())->body);
  REQUIRE(exported.errors.empty());
  // The editor rewrites the question while the translator works.
  json changed = kShop;
  changed["question"]["en"] = "Would you recommend {product} to a friend?";
  REQUIRE(
      s.client()->Put("/v1/admin/surveys/shop", s.admin(), nps::dump(changed), "application/json")->status ==
      200);
  auto rows = translated(exported.rows);
  rows[2].target = ""; // low_label left untranslated
  auto in = s.client()->Post("/v1/admin/surveys/shop/texts?target=es", s.admin(), npsd::texts_csv(rows),
                             "text/csv");
  REQUIRE(in->status == 200);
  const json report = body_of(in);
  CHECK(report["applied"] == 6);
  CHECK(report["stale"] == 1);
  CHECK(report["missing"] == 1);
  CHECK(report["rows"][1]["key"] == "question");
  CHECK(report["rows"][1]["state"] == "stale");
  CHECK(report["rows"][1]["source"] == "Would you recommend {product} to a friend?");
  CHECK(report["rows"][1]["line"] == 3);
  const json def = definition(s)["definition"];
  CHECK_FALSE(def["question"].contains("es"));
  CHECK_FALSE(def["low_label"].contains("es"));
  CHECK(def["followup"]["detractor"]["questions"][0]["text"]["es"] == "¿Qué área?");
}

TEST_CASE("survey texts: a bad file is refused naming its line and field, and nothing is stored",
          "[server][http][survey_texts]") {
  Running s;
  REQUIRE(create_survey(s, kShop) == 201);
  auto post = [&](const std::string& body, const char* type, const char* query = "?target=es") {
    auto r = s.client()->Post((std::string("/v1/admin/surveys/shop/texts") + query).c_str(), s.admin(), body,
                              type);
    REQUIRE(r);
    return r;
  };
  auto first_error = [](const httplib::Result& r) { return body_of(r)["errors"][0]; };
  // An unknown key and a duplicate, by line (the header is line 1).
  auto r = post("key,source,target\r\nquestion,How likely are you to recommend {product}?,¿Sí?\r\n"
                "name,shop,tienda\r\nquestion,How likely are you to recommend {product}?,¿Otra?\r\n",
                "text/csv");
  CHECK(r->status == 400);
  INFO(r->body);
  CHECK(first_error(r)["path"] == "line 3: key");
  CHECK(first_error(r)["message"].get<std::string>().find("\"name\"") != std::string::npos);
  CHECK(body_of(r)["errors"][1]["path"] == "line 4: key");
  CHECK(body_of(r)["errors"][1]["code"] == "duplicate_key");
  // A column missing, a broken quote, a text too long for the survey.
  CHECK(first_error(post("key,source\r\nquestion,x\r\n", "text/csv"))["message"].get<std::string>().find(
            "no column \"target\"") != std::string::npos);
  CHECK(first_error(post("key,source,target\r\nquestion,\"How likely,x\r\n", "text/csv"))["path"] ==
        "line 2");
  r = post("key;source;target\r\nlow_label;=Never;" + std::string(501, 'N') + "\r\n", "text/csv");
  CHECK(first_error(r)["path"] == "line 2: low_label.es");
  CHECK(first_error(r)["code"] == "too_long");
  // Not UTF-8 (a legacy code page).
  CHECK(first_error(post("key,source,target\r\nlow_label,=Never,Nunca \xF1\r\n", "text/csv"))["path"] ==
        "line 2");
  // XLIFF: a DOCTYPE with an entity, a foreign element, the wrong language.
  r = post("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><xliff version=\"2.0\"/>",
           "application/xliff+xml");
  CHECK(r->status == 400);
  CHECK(first_error(r)["message"].get<std::string>().find("DOCTYPE") != std::string::npos);
  r = post("<xliff version=\"2.0\" srcLang=\"en\" trgLang=\"es\">\n<file id=\"f\">\n<unit id=\"question\">"
           "<segment><source>x</source><target>&ent;</target></segment></unit></file></xliff>",
           "application/xliff+xml");
  CHECK(first_error(r)["path"] == "line 3");
  CHECK(first_error(r)["message"].get<std::string>().find("&ent;") != std::string::npos);
  r = post("<xliff version=\"2.0\" srcLang=\"en\" trgLang=\"es\"><file id=\"f\"><unit id=\"question\">"
           "<segment><source>x</source><script/></segment></unit></file></xliff>",
           "application/xliff+xml");
  CHECK(first_error(r)["message"].get<std::string>().find("<script>") != std::string::npos);
  r = post("<xliff version=\"2.0\" srcLang=\"en\" trgLang=\"de\"><file id=\"f\"/></xliff>",
           "application/xliff+xml");
  CHECK(first_error(r)["message"].get<std::string>().find("trgLang") != std::string::npos);
  // A target the survey does not offer, a format it does not know, another content type.
  CHECK(first_error(post("key,source,target\r\n", "text/csv", "?target=fr"))["path"] == "target");
  CHECK(s.client()->Get("/v1/admin/surveys/shop/texts?target=es&format=xlsx", s.admin())->status == 400);
  CHECK(post("{}", "application/json")->status == 415);
  // Nothing of it was stored.
  const json after = definition(s);
  CHECK(after["version"] == 1);
  CHECK_FALSE(after["definition"]["question"].contains("es"));
}

TEST_CASE("survey texts: a viewer and an analyst are refused, an editor may",
          "[server][http][survey_texts]") {
  Running s;
  REQUIRE(create_survey(s, kShop) == 201);
  for (const char* role : {"viewer", "analyst"}) {
    const auto h = bearer(token_for(s, role));
    CHECK(s.client()->Get("/v1/admin/surveys/shop/texts?target=es", h)->status == 403);
    CHECK(s.client()
              ->Post("/v1/admin/surveys/shop/texts?target=es", h, "key,source,target\r\n", "text/csv")
              ->status == 403);
  }
  CHECK(s.client()->Get("/v1/admin/surveys/shop/texts?target=es")->status == 401);
  CHECK(s.client()->Get("/v1/admin/surveys/nope/texts?target=es", s.admin())->status == 404);
}

TEST_CASE("survey texts: unit ids map to keys and back", "[server][survey_texts]") {
  for (const char* key : {"question", "followup.passive.questions[2].options[11].label", "product"}) {
    CHECK(npsd::key_of_unit_id(npsd::xliff_unit_id(key)) == key);
  }
  CHECK(npsd::xliff_unit_id("followup.passive.questions[2].text") == "followup.passive.questions.2.text");
}
