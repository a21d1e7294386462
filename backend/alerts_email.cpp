// Answer alerts by e-mail (see alerts_email.hpp).
#include "alerts_email.hpp"

#include "alerts_slack.hpp"
#include "email_store.hpp"
#include "link_page.hpp"

#include "nps/alert_texts.hpp"
#include "nps/i18n.hpp"

#include <sstream>

namespace npsd::alerts {

using T = nps::alert_texts::Text;
using nps::json;

std::string mailto_address(const std::string& url) {
  if (url.rfind("mailto:", 0) != 0) return "";
  return email_key(url.substr(7));
}

std::string html_open(const EmailContent& c, const std::string& dir, const std::string& color) {
  return "<!doctype html><html lang=\"" + html_escape(c.locale) + "\" dir=\"" + dir +
         "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
         "<meta name=\"color-scheme\" content=\"light dark\"><title>" +
         html_escape(c.subject) +
         "</title></head><body style=\"margin:0;padding:16px;font:16px/1.5 system-ui,-apple-system,'Segoe "
         "UI',Roboto,sans-serif\"><table role=\"presentation\" width=\"100%\" "
         "style=\"max-width:560px;border-collapse:collapse\"><tr><td style=\"border-top:6px solid " +
         color + ";padding:16px 0\">";
}

std::string html_button(const std::string& link, const std::string& label) {
  return "<p style=\"margin:0 0 16px\"><a href=\"" + html_escape(link) +
         "\" style=\"display:inline-block;padding:10px "
         "18px;border-radius:6px;background:#1864ab;color:#ffffff;"
         "text-decoration:none;font-weight:600\">" +
         html_escape(label) + "</a></p>";
}

std::string html_close(const std::string& why) {
  return "<p style=\"margin:16px 0 0;font-size:13px;color:#666666\">" + html_escape(why) +
         "</p></td></tr></table></body></html>";
}

EmailContent alert_email(const OutboxEvent& ev, const WebhookEndpoint& e, const std::string& public_url) {
  const std::string l = e.locale.empty() ? "en" : e.locale;
  const auto tx = [&](T t) { return std::string(nps::alert_texts::text(l, t)); };
  const auto body = json::parse(ev.body, nullptr, false);
  const json empty = json::object();
  const auto& data = body.is_object() && body.contains("data") ? body["data"] : empty;
  const auto& r = data.contains("response") ? data["response"] : data;
  const int score = r.value("score", 0);
  const std::string category = r.value("category", std::string("detractor"));
  const std::string survey = r.value("survey_id", ev.tags.survey_id);
  const std::string comment =
      r.contains("comment") && r["comment"].is_string() ? r["comment"].get<std::string>() : "";
  const std::string category_name = tx(category == "promoter"  ? T::promoter
                                       : category == "passive" ? T::passive
                                                               : T::detractor);
  EmailContent c;
  c.locale = std::string(nps::i18n::texts_locale(l));
  c.subject =
      nps::i18n::format(tx(ev.type == "response.updated" ? T::subject_changed : T::subject),
                        {{"category", category_name}, {"score", std::to_string(score)}, {"survey", survey}});
  std::string respondent;
  if (e.include_personal && r.contains("respondent_id") && r["respondent_id"].is_string())
    respondent = r["respondent_id"].get<std::string>();
  const std::string link = r.contains("id") && r["id"].is_number_integer()
                               ? follow_up_link(public_url, survey, r["id"].get<std::int64_t>())
                               : "";
  const std::string dir(nps::i18n::to_string(nps::i18n::direction(l)));
  const std::string color = category == "promoter"  ? "#2f9e44"
                            : category == "passive" ? "#b07d00"
                                                    : "#d64545";

  std::ostringstream h;
  h << html_open(c, dir, color)
    << "<p style=\"margin:0 0 8px;font-size:20px;font-weight:700\"><span style=\"color:" << color << "\">"
    << html_escape(category_name) << " " << score << "/10</span></p>"
    << "<p style=\"margin:0 0 12px\">" << html_escape(tx(T::survey)) << ": " << html_escape(survey);
  if (!respondent.empty()) h << " · " << html_escape(tx(T::respondent)) << ": " << html_escape(respondent);
  h << "</p>";
  if (comment.empty())
    h << "<p style=\"margin:0 0 16px;font-style:italic\">" << html_escape(tx(T::no_comment)) << "</p>";
  else
    h << "<p style=\"margin:0 0 4px;font-weight:600\">" << html_escape(tx(T::comment))
      << "</p><blockquote dir=\"auto\" style=\"margin:0 0 16px;padding:8px 12px;border-inline-start:4px "
         "solid "
      << color << "\">" << html_escape(comment) << "</blockquote>";
  if (!link.empty()) h << html_button(link, tx(T::open));
  h << html_close(tx(T::why));
  c.html = h.str();

  std::ostringstream t;
  t << category_name << " " << score << "/10\n" << tx(T::survey) << ": " << survey << "\n";
  if (!respondent.empty()) t << tx(T::respondent) << ": " << respondent << "\n";
  t << "\n" << (comment.empty() ? tx(T::no_comment) : tx(T::comment) + ":\n" + comment) << "\n";
  if (!link.empty()) t << "\n" << tx(T::open) << ": " << link << "\n";
  t << "\n-- \n" << tx(T::why) << "\n";
  c.text = t.str();
  return c;
}

} // namespace npsd::alerts
