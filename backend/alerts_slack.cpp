// Slack and Microsoft Teams alerts (see the header).
#include "alerts_slack.hpp"

#include "nps/text.hpp"

#include <cctype>

namespace npsd::alerts {

namespace {

using nps::json;

// At most `max` characters (code points), "…" at the end when cut.
std::string cut(const std::string& s, std::size_t max) {
  std::size_t chars = 0, i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (chars == max - 1 && i + len < s.size()) return s.substr(0, i) + "…";
    i += len;
    ++chars;
  }
  return s;
}

std::string slack_escape(const std::string& s) {
  std::string out;
  for (char c : s)
    out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
  return out;
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// What an alert says, read from the event's body.
struct Alert {
  std::string title;   // "Detractor: 3/10"
  std::string comment; // "" when none
  std::vector<std::pair<std::string, std::string>> facts;
  std::string link;
};

Alert read_alert(const OutboxEvent& ev, const WebhookEndpoint& e, const std::string& public_url) {
  Alert a;
  const auto body = json::parse(ev.body, nullptr, false);
  const json empty = json::object();
  const auto& data = body.is_object() && body.contains("data") ? body["data"] : empty;
  const auto& r = data.contains("response") ? data["response"] : data;
  if (!r.contains("score")) {
    a.title = ev.type;
    a.facts.emplace_back("Event", ev.type);
    return a;
  }
  const auto score = r.value("score", 0);
  const auto category = r.value("category", std::string());
  if (ev.type == "follow_up.changed")
    a.title = "Follow-up " + data.value("status", std::string()) + ": " + std::to_string(score) + "/10";
  else if (ev.type == "response.updated")
    a.title = capitalised(category) + " (changed): " + std::to_string(score) + "/10";
  else
    a.title = capitalised(category) + ": " + std::to_string(score) + "/10";
  if (r.contains("comment") && r["comment"].is_string()) a.comment = r["comment"].get<std::string>();
  const auto survey = r.value("survey_id", ev.tags.survey_id);
  a.facts.emplace_back("Survey", survey);
  a.facts.emplace_back("Channel", r.value("channel", std::string()));
  if (r.contains("locale") && r["locale"].is_string())
    a.facts.emplace_back("Language", r["locale"].get<std::string>());
  if (e.include_personal && r.contains("respondent_id") && r["respondent_id"].is_string())
    a.facts.emplace_back("Respondent", r["respondent_id"].get<std::string>());
  if (data.contains("previous") && data["previous"].contains("score"))
    a.facts.emplace_back("Before", std::to_string(data["previous"].value("score", 0)) + "/10");
  if (r.contains("id") && r["id"].is_number_integer())
    a.link = follow_up_link(public_url, survey, r["id"].get<std::int64_t>());
  return a;
}

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  return out;
}

} // namespace

std::string dashboard_link(const std::string& public_url, const std::string& survey_id,
                           const std::string& view) {
  if (public_url.empty()) return {};
  std::string base = public_url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base + "/dashboard/?" + (view.empty() ? "" : "view=" + view + "&") +
         "survey=" + percent_encode(survey_id);
}

std::string follow_up_link(const std::string& public_url, const std::string& survey_id,
                           std::int64_t response_id) {
  const auto link = dashboard_link(public_url, survey_id, "followup");
  return link.empty() ? link : link + "&item=" + std::to_string(response_id);
}

json slack_message(const OutboxEvent& ev, const WebhookEndpoint& e, const std::string& public_url) {
  const auto a = read_alert(ev, e, public_url);
  json blocks = json::array();
  blocks.push_back(
      {{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", cut(a.title, 150)}, {"emoji", true}}}});
  if (!a.comment.empty())
    blocks.push_back({{"type", "section"},
                      {"text", {{"type", "mrkdwn"}, {"text", cut(">" + slack_escape(a.comment), 3000)}}}});
  json fields = json::array();
  for (const auto& [k, v] : a.facts)
    if (fields.size() < 10 && !v.empty())
      fields.push_back({{"type", "mrkdwn"}, {"text", cut("*" + k + "*\n" + slack_escape(v), 2000)}});
  if (!fields.empty()) blocks.push_back({{"type", "section"}, {"fields", fields}});
  if (!a.link.empty() && a.link.size() <= 3000)
    blocks.push_back({{"type", "actions"},
                      {"elements",
                       {{{"type", "button"},
                         {"text", {{"type", "plain_text"}, {"text", "Open follow-up item"}}},
                         {"url", a.link}}}}});
  std::string text = a.title;
  if (!a.comment.empty()) text += ": " + a.comment;
  return {{"text", cut(slack_escape(text), 3000)}, {"blocks", blocks}};
}

json teams_message(const OutboxEvent& ev, const WebhookEndpoint& e, const std::string& public_url) {
  const auto a = read_alert(ev, e, public_url);
  json body = json::array();
  body.push_back(
      {{"type", "TextBlock"}, {"text", a.title}, {"weight", "Bolder"}, {"size", "Medium"}, {"wrap", true}});
  if (!a.comment.empty())
    body.push_back({{"type", "TextBlock"}, {"text", cut(a.comment, 3000)}, {"wrap", true}});
  json facts = json::array();
  for (const auto& [k, v] : a.facts)
    if (!v.empty()) facts.push_back({{"title", k}, {"value", v}});
  if (!facts.empty()) body.push_back({{"type", "FactSet"}, {"facts", facts}});
  json card = {{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
               {"type", "AdaptiveCard"},
               {"version", "1.4"},
               {"body", body}};
  if (!a.link.empty())
    card["actions"] =
        json::array({{{"type", "Action.OpenUrl"}, {"title", "Open follow-up item"}, {"url", a.link}}});
  return {{"type", "message"},
          {"attachments", json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                        {"contentUrl", nullptr},
                                        {"content", card}}})}};
}

} // namespace npsd::alerts
