// Slack (Block Kit) and Microsoft Teams (Adaptive Card) alerts, checked against the shapes and
// limits their documentation gives (alerts_slack.hpp names the pages): every block and
// element of a known type with its required fields, texts within their limits, mrkdwn
// escaped, the respondent shown only when the alert may carry personal data.
#include "alerts_slack.hpp"
#include "standard_webhooks.hpp"
#include "webhook_delivery.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace npsd;
using nps::json;

namespace {

std::size_t chars(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xc0) != 0x80;
  return n;
}

bool plain_text(const json& t, std::size_t max) {
  return t.is_object() && t.value("type", "") == "plain_text" && t["text"].is_string() &&
         chars(t["text"].get<std::string>()) >= 1 && chars(t["text"].get<std::string>()) <= max;
}
bool text_object(const json& t, std::size_t max) {
  return t.is_object() && (t.value("type", "") == "plain_text" || t.value("type", "") == "mrkdwn") &&
         t["text"].is_string() && chars(t["text"].get<std::string>()) >= 1 &&
         chars(t["text"].get<std::string>()) <= max;
}

// Block Kit, as api.slack.com/reference/block-kit/blocks documents the blocks used here.
void check_slack(const json& m) {
  REQUIRE(m.is_object());
  REQUIRE(m["text"].is_string()); // the notification's fallback text
  CHECK(chars(m["text"].get<std::string>()) <= 3000);
  REQUIRE(m["blocks"].is_array());
  CHECK(m["blocks"].size() <= 50);
  for (const auto& b : m["blocks"]) {
    const auto type = b.value("type", "");
    INFO(b.dump());
    CHECK(std::set<std::string>{"header", "section", "actions"}.count(type) == 1);
    if (type == "header") CHECK(plain_text(b["text"], 150));
    if (type == "section") {
      CHECK((b.contains("text") || b.contains("fields")));
      if (b.contains("text")) CHECK(text_object(b["text"], 3000));
      if (b.contains("fields")) {
        CHECK(b["fields"].size() <= 10);
        for (const auto& f : b["fields"])
          CHECK(text_object(f, 2000));
      }
    }
    if (type == "actions") {
      CHECK(b["elements"].size() <= 25);
      for (const auto& el : b["elements"]) {
        CHECK(el.value("type", "") == "button");
        CHECK(plain_text(el["text"], 75));
        CHECK(el["url"].is_string());
        CHECK(el["url"].get<std::string>().size() <= 3000);
      }
    }
    for (auto it = b.begin(); it != b.end(); ++it)
      CHECK(std::set<std::string>{"type", "text", "fields", "elements", "block_id"}.count(it.key()) == 1);
  }
}

// A Teams incoming-webhook message with one Adaptive Card 1.4 (TextBlock, FactSet, Action.OpenUrl).
void check_teams(const json& m) {
  REQUIRE(m.is_object());
  CHECK(m["type"] == "message");
  REQUIRE(m["attachments"].is_array());
  REQUIRE(m["attachments"].size() == 1);
  const auto& a = m["attachments"][0];
  CHECK(a["contentType"] == "application/vnd.microsoft.card.adaptive");
  const auto& card = a["content"];
  CHECK(card["type"] == "AdaptiveCard");
  CHECK(card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json");
  CHECK(card["version"] == "1.4");
  REQUIRE(card["body"].is_array());
  for (const auto& el : card["body"]) {
    INFO(el.dump());
    const auto type = el.value("type", "");
    CHECK((type == "TextBlock" || type == "FactSet"));
    if (type == "TextBlock") CHECK((el["text"].is_string() && !el["text"].get<std::string>().empty()));
    if (type == "FactSet")
      for (const auto& f : el["facts"])
        CHECK((f["title"].is_string() && f["value"].is_string()));
  }
  if (card.contains("actions"))
    for (const auto& act : card["actions"]) {
      CHECK(act["type"] == "Action.OpenUrl");
      CHECK(act["title"].is_string());
      CHECK(act["url"].is_string());
    }
}

OutboxEvent detractor_event(const std::string& comment) {
  StoredResponse s;
  s.id = 42;
  s.response.survey_id = "shop";
  s.response.score = nps::Score::from_int(3).value();
  s.response.comment = comment;
  s.response.respondent_id = "ana@example.com";
  s.response.channel = nps::Channel::email;
  s.response.idempotency_key = "key-00000042";
  s.received_at = 1'750'000'000'000;
  return make_event("response.created", response_event_data(s), response_tags(s.response), s.received_at);
}

WebhookEndpoint alert(const std::string& kind, bool personal) {
  WebhookEndpoint e;
  e.kind = kind;
  e.include_personal = personal;
  e.categories = {"detractor"};
  return e;
}

} // namespace

TEST_CASE("alerts: a detractor's Slack message is Block Kit with score, comment, respondent and a link",
          "[webhooks][alerts]") {
  const auto m = alerts::slack_message(detractor_event("Delivery <late> & rude"), alert("slack", true),
                                       "https://nps.example.com/");
  check_slack(m);
  const auto text = m.dump();
  CHECK(m["blocks"][0]["text"]["text"] == "Detractor: 3/10");
  CHECK(m["blocks"][1]["text"]["text"] == ">Delivery &lt;late&gt; &amp; rude");
  CHECK(text.find("ana@example.com") != std::string::npos);
  CHECK(m["blocks"].back()["elements"][0]["url"] ==
        "https://nps.example.com/dashboard/?view=followup&survey=shop&item=42");
  CHECK(m["text"].get<std::string>().rfind("Detractor: 3/10: Delivery", 0) == 0);
}

TEST_CASE("alerts: without personal data allowed neither message names the respondent",
          "[webhooks][alerts]") {
  const auto ev = detractor_event("slow");
  const auto slack = alerts::slack_message(ev, alert("slack", false), "https://nps.example.com");
  const auto teams = alerts::teams_message(ev, alert("teams", false), "https://nps.example.com");
  check_slack(slack);
  check_teams(teams);
  CHECK(slack.dump().find("ana@example.com") == std::string::npos);
  CHECK(teams.dump().find("ana@example.com") == std::string::npos);
  CHECK(slack.dump().find("slow") != std::string::npos);
}

TEST_CASE("alerts: a Teams alert is a message with one Adaptive Card: title, comment, facts and a link",
          "[webhooks][alerts]") {
  const auto m = alerts::teams_message(detractor_event("Nobody called back"), alert("teams", true),
                                       "https://nps.example.com");
  check_teams(m);
  const auto& card = m["attachments"][0]["content"];
  CHECK(card["body"][0]["text"] == "Detractor: 3/10");
  CHECK(card["body"][1]["text"] == "Nobody called back");
  CHECK(card["body"][2]["facts"][0] == json{{"title", "Survey"}, {"value", "shop"}});
  CHECK(m.dump().find("ana@example.com") != std::string::npos);
  CHECK(card["actions"][0]["url"] == "https://nps.example.com/dashboard/?view=followup&survey=shop&item=42");
}

TEST_CASE("alerts: a very long comment is cut within Slack's limits and no link is sent without a public URL",
          "[webhooks][alerts]") {
  const auto m =
      alerts::slack_message(detractor_event(std::string(5000, 'x') + "é"), alert("slack", true), "");
  check_slack(m);
  CHECK(m.dump().find("dashboard") == std::string::npos);
  CHECK(m["blocks"].back()["type"] != "actions");
}

TEST_CASE("alerts: a Slack or Teams endpoint is sent its own JSON unsigned, and a standard one is signed",
          "[webhooks][alerts]") {
  const auto ev = detractor_event("slow");
  WebhookOptions o;
  o.public_url = "https://nps.example.com";
  auto slack = build_request(alert("slack", true), ev, 1'750'000'000'000, o);
  check_slack(json::parse(slack.body));
  CHECK(slack.headers == std::vector<std::string>{"Content-Type: application/json"});
  auto teams = build_request(alert("teams", true), ev, 1'750'000'000'000, o);
  check_teams(json::parse(teams.body));
  auto standard = alert("standard", true);
  standard.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  auto signed_request = build_request(standard, ev, 1'750'000'000'000, o);
  CHECK(signed_request.body == ev.body);
  CHECK(signed_request.headers.size() == 4);
  CHECK(signed_request.headers[1] == "webhook-id: " + ev.msg_id);
  CHECK(signed_request.headers[2] == "webhook-timestamp: 1750000000");
  CHECK(signed_request.headers[3].rfind("webhook-signature: v1,", 0) == 0);
}

TEST_CASE("webhooks: an endpoint without personal data gets the event without respondent, personal "
          "attributes or e-mail addresses, signed as sent",
          "[webhooks][alerts]") {
  StoredResponse s;
  s.id = 7;
  s.response.survey_id = "shop";
  s.response.score = nps::Score::from_int(2).value();
  s.response.comment = "Late again";
  s.response.respondent_id = "ana@example.com";
  s.response.attributes = {{"plan", "pro"}, {"Email", "ana@example.com"}, {"customer_no", "C-991"}};
  s.response.idempotency_key = "key-00000007";
  s.received_at = 1'750'000'000'000;
  const auto ev =
      make_event("response.created", response_event_data(s), response_tags(s.response), s.received_at);
  WebhookOptions o;
  o.privacy_of = [](const std::string& survey) {
    nps::Privacy p;
    if (survey == "shop") p.personal_attributes = {"customer_no"};
    return p;
  };
  auto e = alert("standard", false);
  e.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const auto r = build_request(e, ev, 1'750'000'000'000, o);
  const auto body = json::parse(r.body);
  CHECK(body["type"] == "response.created");
  CHECK(body["data"]["comment"] == "Late again");
  CHECK_FALSE(body["data"].contains("respondent_id"));
  CHECK(body["data"]["attributes"] == json{{"plan", "pro"}});
  CHECK(r.body.find("ana@example.com") == std::string::npos);
  CHECK(r.body.find("C-991") == std::string::npos);
  CHECK(r.body.rfind("{\"type\":\"response.created\",\"timestamp\":", 0) == 0); // key order kept
  // The signature covers the body as sent.
  const auto key = standard_webhooks::secret_key(e.secret);
  REQUIRE(key);
  CHECK(r.headers[3] ==
        "webhook-signature: " + standard_webhooks::sign(*key, ev.msg_id, 1'750'000'000, r.body));
  // With personal data (the default), the stored body is sent unchanged.
  CHECK(build_request(alert("standard", true), ev, 1'750'000'000'000, o).body == ev.body);

  // An unsubscribed contact's address and an assignee's e-mail are personal too.
  const auto gone = make_event("contact.unsubscribed", {{"email", "bob@example.com"}, {"contact_id", 3}}, {},
                               s.received_at);
  CHECK(build_request(e, gone, 1'750'000'000'000, o).body.find("bob@example.com") == std::string::npos);
}
