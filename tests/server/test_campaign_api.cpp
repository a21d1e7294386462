// Campaigns over HTTP (issue 14): the e-mail preview in every language, an audience from a
// CSV checked whole before anything is stored, the funnel a team reads (a person's click on
// a strict page, the answer, the unsubscribe, the response rate) and the ambassadors export.
#include "email_store.hpp"
#include "http_support.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

void add_shop(Running& s) {
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}, {"product", "Acme"}}) == 201);
}

std::string token_for(Running& s, const std::string& role) {
  auto r = s.client()->Post("/v1/admin/tokens", s.admin(), json{{"role", role}, {"name", role}}.dump(),
                            "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  return body_of(r)["token"];
}

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// The score links of one campaign recipient, made through the admin API.
std::vector<std::string> links_for(Running& s, const std::string& recipient) {
  auto r = s.client()->Post("/v1/admin/surveys/shop/links", s.admin(), json{{"recipient", recipient}}.dump(),
                            "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  std::vector<std::string> out;
  const json made = body_of(r); // kept: a loop over a temporary's member would read freed memory
  for (const auto& l : made["links"])
    out.push_back(l.get<std::string>().substr(l.get<std::string>().find("/r/")));
  REQUIRE(out.size() == 11);
  return out;
}

} // namespace

TEST_CASE("campaigns: the e-mail preview comes in every language, right to left for Arabic, and names a "
          "bad survey or language",
          "[server][campaigns]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  const auto viewer = bearer(token_for(s, "viewer"));
  auto es = c->Get("/v1/admin/email-preview?survey_id=shop&lang=es", viewer);
  REQUIRE(es);
  REQUIRE(es->status == 200);
  const auto e = body_of(es);
  CHECK(e["lang"] == "es");
  CHECK(e["dir"] == "ltr");
  CHECK(e["subject"].get<std::string>().find("Acme") != std::string::npos);
  CHECK(e["html"].get<std::string>().find("lang=\"es\"") != std::string::npos);
  CHECK(e["text"].get<std::string>().find("Acme") != std::string::npos);
  CHECK(e["languages"].size() >= 10);
  const auto en_subject =
      body_of(c->Get("/v1/admin/email-preview?survey_id=shop&lang=en", viewer))["subject"];
  CHECK(e["subject"] != en_subject); // translated, not the English one
  const auto ar = body_of(c->Get("/v1/admin/email-preview?survey_id=shop&lang=ar", viewer));
  CHECK(ar["dir"] == "rtl");
  CHECK(ar["html"].get<std::string>().find("dir=\"rtl\"") != std::string::npos);

  auto bad = c->Get("/v1/admin/email-preview?survey_id=shop&lang=xx-Nope", viewer);
  CHECK(bad->status == 400);
  CHECK(body_of(bad)["errors"][0]["path"] == "lang");
  auto none = c->Get("/v1/admin/email-preview?survey_id=nope", viewer);
  CHECK(none->status == 400);
  CHECK(body_of(none)["errors"][0]["path"] == "survey_id");
  CHECK(c->Get("/v1/admin/email-preview?survey_id=shop")->status == 401);
}

TEST_CASE("campaigns: an audience from a CSV is checked whole: a bad line is named and nothing is stored, "
          "a good file asks only its contacts",
          "[server][campaigns]") {
  Config cfg;
  cfg.smtp_url = "smtp://127.0.0.1:9"; // nothing listens: the campaign stays scheduled far ahead
  cfg.mail_from = "surveys@acme.test";
  Running s(cfg);
  add_shop(s);
  auto c = s.client();
  const auto post = [&](const json& body) {
    return c->Post("/v1/admin/campaigns", s.admin(), body.dump(), "application/json");
  };
  auto bad = post({{"survey_id", "shop"},
                   {"audience_csv", "email,name\nana@example.com,Ana\nnot-an-address,Bo\n"},
                   {"delay_minutes", 600}});
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(body_of(bad)["errors"][0]["path"].get<std::string>().rfind("audience_csv: line 3", 0) == 0);
  CHECK(s.server->storage().email().count_contacts() == 0);
  CHECK(s.server->storage().email().campaigns().empty());

  auto both = post({{"survey_id", "shop"},
                    {"audience_csv", "email\nana@example.com\n"},
                    {"segment", {{"key", "plan"}, {"value", "pro"}}}});
  CHECK(both->status == 400);
  CHECK(post({{"survey_id", "shop"}, {"reminder_days", 61}})->status == 400);

  auto good = post({{"survey_id", "shop"},
                    {"name", "VIP list"},
                    {"audience_csv", "email,name,plan\nana@example.com,Ana,pro\nbo@example.com,Bo,free\n"},
                    {"reminder_days", 3},
                    {"delay_minutes", 600}});
  REQUIRE(good->status == 201);
  const auto made = body_of(good);
  CHECK(made["audience"] == "csv");
  CHECK(made["reminder_days"] == 3);
  CHECK(made["funnel"]["response_rate"].is_null()); // nothing sent yet
  CHECK(s.server->storage().email().count_contacts() == 2);
  CHECK(body_of(c->Get("/v1/admin/campaigns", s.admin()))["smtp_configured"] == true);
}

TEST_CASE("campaigns: the funnel counts a person seen on a strict page, the answer, the unsubscribe and "
          "the response rate, and ambassadors are the promoters who allowed quoting, with their contact",
          "[server][campaigns]") {
  Running s;
  add_shop(s);
  auto& e = s.server->storage().email();
  ContactInput ana, bo, cy;
  ana.email = "ana@example.com";
  ana.name = "Ana Ruiz";
  bo.email = "bo@example.com";
  cy.email = "cy@example.com";
  e.import_contacts({ana, bo, cy}, kNow);
  CampaignInput in;
  in.survey_id = "shop";
  in.name = "Autumn";
  in.scheduled_at = kNow;
  const auto m = e.add_campaign(in, {}, kNow);
  REQUIRE(e.enqueue_campaign(m.id, kNow) == 3);
  e.heartbeat("test", kNow + 60'000);
  while (auto msg = e.claim_next(kNow, "test")) { // as the sender does, the relay taking each
    REQUIRE(e.mark_committing(msg->id, "test"));
    e.mark_sent(msg->id, kNow, 250);
  }
  auto c = s.client();

  // Ana answers 10 through her e-mail and allows quoting; Bo opens his link on a strict page
  // and leaves; Cy unsubscribes.
  const auto ana_links = links_for(s, campaign_recipient(m.id, 1));
  REQUIRE(
      c->Post(ana_links[10].c_str(), R"({"score":10,"signal":"interaction"})", "application/json")->status ==
      201);
  auto fu = c->Post((ana_links[10] + "/follow-up").c_str(), R"({"comment":"Fast and kind","quote_ok":true})",
                    "application/json");
  INFO(fu->body);
  REQUIRE(fu->status == 200);
  REQUIRE(c->Put("/v1/admin/surveys/shop/link-settings", s.admin(), R"({"strict":true})", "application/json")
              ->status == 200);
  const auto bo_links = links_for(s, campaign_recipient(m.id, 2));
  auto page = c->Get(bo_links[6].c_str());
  REQUIRE(page);
  CHECK(page->body.find("/seen\"") != std::string::npos);
  CHECK(c->Post((bo_links[6] + "/seen").c_str(), R"({"x":1})", "application/json")->status == 400);
  CHECK(c->Post((bo_links[6] + "/seen").c_str(), "{}", "application/json")->status == 204);
  CHECK(c->Post((bo_links[6] + "/seen").c_str(), "{}", "application/json")->status == 204); // counted once
  e.suppress("CY@example.com", "unsubscribed", kNow + 1000);

  const auto f =
      body_of(c->Get(("/v1/admin/campaigns/" + std::to_string(m.id)).c_str(), s.admin()))["funnel"];
  CHECK(f["sent"] == 3);
  CHECK(f["clicked"] == 2);
  CHECK(f["answered"] == 1);
  CHECK(f["unsubscribed"] == 1);
  CHECK(f["reminded"] == 0);
  CHECK(f["response_rate"].get<double>() == Approx(1.0 / 3));

  // A promoter who did not allow quoting is no ambassador.
  REQUIRE(c->Put("/v1/admin/surveys/shop/link-settings", s.admin(), R"({"strict":false})", "application/json")
              ->status == 200);
  const auto other = links_for(s, "someone-else");
  REQUIRE(c->Post(other[9].c_str(), R"({"score":9,"signal":"interaction"})", "application/json")->status ==
          201);

  const auto list = body_of(c->Get("/v1/admin/surveys/shop/ambassadors", s.admin()));
  REQUIRE(list["items"].size() == 1);
  CHECK(list["items"][0]["email"] == "ana@example.com");
  CHECK(list["items"][0]["name"] == "Ana Ruiz");
  CHECK(list["items"][0]["testimonial"] == "Fast and kind");
  CHECK(list["items"][0]["campaign_id"] == m.id);
  auto csv = c->Get("/v1/admin/surveys/shop/ambassadors?format=csv", s.admin());
  CHECK(csv->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
  CHECK(csv->body.rfind("email,name,score,testimonial,", 0) == 0);
  CHECK(csv->body.find("ana@example.com,Ana Ruiz,10,Fast and kind,") != std::string::npos);
  auto excel =
      c->Get("/v1/admin/surveys/shop/ambassadors?format=csv&flavour=excel&separator=tab&utc_offset=-05:00",
             s.admin());
  REQUIRE(excel->status == 200);
  CHECK(excel->body.rfind("\xEF\xBB\xBF"
                          "email\tname\tscore\ttestimonial\treceived_at\t",
                          0) == 0);
  CHECK(excel->body.find("ana@example.com\tAna Ruiz\t10\tFast and kind\t") != std::string::npos);
  CHECK(excel->body.find("-05:00\t") != std::string::npos);
  CHECK(c->Get("/v1/admin/surveys/shop/ambassadors?format=csv&separator=pipe", s.admin())->status == 400);
  CHECK(c->Get("/v1/admin/surveys/shop/ambassadors?format=csv&sort=name", s.admin())->status == 400);
  CHECK(c->Get("/v1/admin/surveys/shop/ambassadors", bearer(token_for(s, "viewer")))->status == 403);
  CHECK(c->Get("/v1/admin/surveys/shop/ambassadors?format=xml", s.admin())->status == 400);
}
