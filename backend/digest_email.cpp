// The weekly digest as an e-mail, in the endpoint's language (see digest.hpp). Built like the
// answer alerts (alerts_email.cpp): one table, inline styles, a plain-text part saying the same.
#include "digest.hpp"

#include "alerts_email.hpp"
#include "alerts_slack.hpp"
#include "link_page.hpp"

#include "nps/alert_texts.hpp"
#include "nps/digest_texts.hpp"
#include "nps/i18n.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace npsd::digest {

using T = nps::digest_texts::Text;
using nps::json;

namespace {

// Points with one decimal, the sign shown when asked, the locale's decimal comma where it
// writes one ("−3,5" in Russian, "+12.5" in English).
std::string points(double v, const std::string& locale, bool sign) {
  char buf[32];
  std::snprintf(buf, sizeof buf, sign ? "%+.1f" : "%.1f", std::round(v * 10) / 10);
  std::string s = buf;
  if (s == "-0.0" || s == "+0.0") s = sign ? "±0.0" : "0.0";
  const std::string lang = locale.substr(0, locale.find('-'));
  if (lang == "es" || lang == "ru" || lang == "pt" || lang == "de" || lang == "fr")
    for (auto& ch : s)
      if (ch == '.') ch = ',';
  return s;
}

std::string p_value(double p) {
  if (p < 0.001) return "< 0.001";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", p);
  return buf;
}

} // namespace

EmailContent digest_email(const OutboxEvent& ev, const WebhookEndpoint& e, const std::string& public_url) {
  const std::string l = e.locale.empty() ? "en" : e.locale;
  const auto tx = [&](T t) { return std::string(nps::digest_texts::text(l, t)); };
  const auto body = json::parse(ev.body, nullptr, false);
  const json empty = json::object();
  const json& d = body.is_object() && body.contains("data") ? body["data"] : empty;
  const std::string survey = d.value("survey_name", ev.tags.survey_id);
  const std::string week = d.value("week", std::string());
  const std::string dir(nps::i18n::to_string(nps::i18n::direction(l)));

  EmailContent c;
  c.locale = std::string(nps::i18n::texts_locale(l));
  c.subject = nps::i18n::format(tx(T::subject), {{"survey", survey}, {"week", week}});

  // The lines of the figures, shared by the HTML and the text part.
  std::string headline; // "+23.4" or ""
  std::vector<std::string> lines;
  const json& now = d.contains("this_week") ? d["this_week"] : json();
  if (now.is_object()) {
    headline = points(now.value("nps", 0.0), l, true);
    lines.push_back(nps::i18n::format(tx(T::answers), {{"n", std::to_string(now.value("n", 0))}}));
    lines.push_back(
        nps::i18n::format(tx(T::interval), {{"lo", points(now["ci95"][0].get<double>(), l, true)},
                                            {"hi", points(now["ci95"][1].get<double>(), l, true)}}));
  } else {
    lines.push_back(tx(T::no_answers));
  }
  const json& change = d.contains("change") ? d["change"] : json();
  if (change.is_object()) {
    lines.push_back(
        nps::i18n::format(tx(T::change), {{"change", points(change.value("difference", 0.0), l, true)}}));
    lines.push_back(
        nps::i18n::format(tx(change.value("significant", false) ? T::significant : T::not_significant),
                          {{"p", p_value(change.value("p", 1.0))}}));
  } else if (now.is_object()) {
    lines.push_back(tx(T::no_previous));
  }
  if (now.is_object() && now.value("small_sample", false)) lines.push_back(tx(T::small_sample));
  const std::string open =
      nps::i18n::format(tx(T::open_items), {{"n", std::to_string(d.value("open_follow_ups", 0))}});
  const json comments = d.contains("detractor_comments") ? d["detractor_comments"] : json::array();
  const std::string link = alerts::dashboard_link(public_url, ev.tags.survey_id);
  const std::string detractor(nps::alert_texts::text(l, nps::alert_texts::Text::detractor));

  std::ostringstream h;
  h << alerts::html_open(c, dir, "#1864ab") << "<p style=\"margin:0;font-size:14px;color:#555555\">"
    << html_escape(survey) << " · " << html_escape(week) << " ("
    << html_escape(d.value("from", std::string())) << " – " << html_escape(d.value("to", std::string()))
    << ")</p>"
    << "<p style=\"margin:4px 0 8px;font-size:20px;font-weight:700\">" << html_escape(tx(T::heading));
  if (!headline.empty()) h << ": <span dir=\"ltr\">" << html_escape(headline) << "</span>";
  h << "</p>";
  for (const auto& line : lines)
    h << "<p style=\"margin:0 0 4px\">" << html_escape(line) << "</p>";
  h << "<p style=\"margin:16px 0 4px;font-weight:600\">" << html_escape(tx(T::comments)) << "</p>";
  if (comments.empty())
    h << "<p style=\"margin:0 0 12px;font-style:italic\">" << html_escape(tx(T::no_comments)) << "</p>";
  for (const auto& cm : comments)
    h << "<blockquote dir=\"auto\" style=\"margin:0 0 8px;padding:6px 12px;border-inline-start:4px solid "
         "#d64545\"><span style=\"color:#d64545;font-weight:600\">"
      << html_escape(detractor) << " " << cm.value("score", 0) << "/10</span> "
      << html_escape(cm.value("comment", std::string())) << "</blockquote>";
  h << "<p style=\"margin:16px 0\">" << html_escape(open) << "</p>";
  if (!link.empty()) h << alerts::html_button(link, tx(T::open_dashboard));
  h << alerts::html_close(tx(T::why));
  c.html = h.str();

  std::ostringstream t;
  t << survey << " · " << week << " (" << d.value("from", std::string()) << " – "
    << d.value("to", std::string()) << ")\n\n"
    << tx(T::heading) << (headline.empty() ? "" : ": " + headline) << "\n";
  for (const auto& line : lines)
    t << line << "\n";
  t << "\n" << tx(T::comments) << ":\n";
  if (comments.empty()) t << tx(T::no_comments) << "\n";
  for (const auto& cm : comments)
    t << "- " << detractor << " " << cm.value("score", 0) << "/10: " << cm.value("comment", std::string())
      << "\n";
  t << "\n" << open << "\n";
  if (!link.empty()) t << "\n" << tx(T::open_dashboard) << ": " << link << "\n";
  t << "\n-- \n" << tx(T::why) << "\n";
  c.text = t.str();
  return c;
}

} // namespace npsd::digest
