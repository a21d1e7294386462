// The survey e-mail and its MIME message (see email_render.hpp).
#include "email_render.hpp"

#include "link_page.hpp"
#include "nps/email_texts.hpp"
#include "nps/flow.hpp"
#include "nps/i18n.hpp"
#include "signed_links.hpp"

#include <array>
#include <ctime>
#include <sstream>

namespace npsd {

namespace {

using T = nps::email_texts::Text;

const char* colour_of(int score) { return score <= 6 ? "#c92a2a" : score <= 8 ? "#e8a100" : "#2b8a3e"; }

// One button: VML for desktop Outlook (Word renders no padding or radius on <a>), a styled
// link for everyone else. Colours are kept in data-ogsb for Outlook.com's dark mode.
std::string button(int score, const std::string& url, const std::string& label) {
  const std::string u = html_escape(url);
  const std::string c = colour_of(score);
  std::ostringstream o;
  o << "<td align=\"center\" class=\"nps-cell\" style=\"padding:2px\">"
    << "<!--[if mso]><v:roundrect xmlns:v=\"urn:schemas-microsoft-com:vml\" href=\"" << u
    << "\" style=\"height:40px;v-text-anchor:middle;width:40px\" arcsize=\"12%\" stroke=\"f\" fillcolor=\""
    << c << "\"><center style=\"color:#ffffff;font-family:Arial,sans-serif;font-size:16px;font-weight:bold\">"
    << score << "</center></v:roundrect><![endif]-->"
    << "<!--[if !mso]><!--><a href=\"" << u << "\" class=\"nps-btn\" aria-label=\"" << html_escape(label)
    << "\" data-ogsb=\"" << c
    << "\" style=\"display:block;min-width:28px;max-width:44px;padding:10px 0;background:" << c
    << ";background-color:" << c
    << ";border-radius:5px;color:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;font-weight:"
       "bold;"
       "line-height:20px;text-align:center;text-decoration:none\">"
    << score << "</a><!--<![endif]--></td>";
  return o.str();
}

std::string wrap_lines(const std::string& s) {
  // Plain text: lines as written; CRLF everywhere.
  std::string out;
  for (char c : s) {
    if (c == '\n')
      out += "\r\n";
    else if (c != '\r')
      out += c;
  }
  return out;
}

} // namespace

EmailContent render_email(const nps::Survey& survey, const std::vector<std::string>& languages,
                          const std::vector<std::string>& score_urls, const std::string& unsubscribe_url) {
  nps::FlowStart start;
  start.idempotency_key = "email-render";
  start.languages = languages;
  start.channel = nps::Channel::email;
  auto st = nps::start_flow(survey, start);
  const nps::json v = nps::view(survey, st ? *st : nps::FlowState{});
  EmailContent e;
  e.locale = v.value("locale", std::string("en"));
  const auto& l = e.locale;
  const std::string dir(nps::i18n::to_string(nps::i18n::direction(l)));
  const auto& sv = v["score"];
  std::string product = nps::product_name(survey, l);
  if (product.empty()) product = survey.name.empty() ? survey.id : survey.name;
  const auto tx = [&](T t) {
    return nps::i18n::format(nps::email_texts::text(l, t), {{"product", product}});
  };
  e.subject = tx(T::email_subject);
  const std::string question = sv.value("question", "");
  const std::string accent = survey.theme.accent;

  std::ostringstream h;
  h << "<!DOCTYPE html><html lang=\"" << html_escape(l) << "\" dir=\"" << dir
    << "\" xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:v=\"urn:schemas-microsoft-com:vml\" "
       "xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
       "<meta name=\"color-scheme\" content=\"light dark\"><meta name=\"supported-color-schemes\" "
       "content=\"light dark\"><title>"
    << html_escape(e.subject)
    << "</title><!--[if mso]><noscript><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch>"
       "</o:OfficeDocumentSettings></xml></noscript><![endif]--><style>"
       ":root{color-scheme:light dark;supported-color-schemes:light dark}"
       "@media "
       "(prefers-color-scheme:dark){.nps-bg{background:#121417!important}.nps-card{background:#1f2228!"
       "important}"
       ".nps-fg{color:#eceef2!important}.nps-muted{color:#a8afbc!important}}"
       "[data-ogsc] .nps-fg{color:#eceef2!important}[data-ogsb] .nps-card{background:#1f2228!important}"
       "@media (max-width:480px){.nps-btn{padding:8px "
       "0!important;font-size:14px!important;min-width:24px!important}"
       ".nps-cell{padding:1px!important}.nps-pad{padding:16px 6px!important}.nps-outer{padding:12px "
       "4px!important}}"
       "</style></head><body class=\"nps-bg\" style=\"margin:0;padding:0;background:#f1f3f5\">"
    << "<div style=\"display:none;max-height:0;overflow:hidden\">" << html_escape(question) << "</div>"
    << "<table role=\"presentation\" class=\"nps-bg\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
       "border=\"0\" "
       "style=\"background:#f1f3f5\"><tr><td align=\"center\" class=\"nps-outer\" style=\"padding:24px 8px\">"
    << "<!--[if mso]><table role=\"presentation\" width=\"600\" cellpadding=\"0\" "
       "cellspacing=\"0\"><tr><td><![endif]-->"
    << "<table role=\"presentation\" class=\"nps-card\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
       "border=\"0\" "
       "style=\"max-width:600px;background:#ffffff;border-radius:8px;border-top:6px solid "
    << html_escape(accent) << "\" dir=\"" << dir
    << "\"><tr><td class=\"nps-pad\" style=\"padding:28px 24px\">"
    << "<p class=\"nps-muted\" style=\"margin:0 0 "
       "8px;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#495057\">"
    << html_escape(tx(T::email_intro)) << "</p>"
    << "<h1 class=\"nps-fg\" style=\"margin:0 0 20px;font-family:Arial,Helvetica,sans-serif;font-size:20px;"
       "line-height:28px;color:#1b1e24;font-weight:bold\">"
    << html_escape(question) << "</h1>"
    << "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" dir=\""
    << dir << "\"><tr>";
  for (int s = 0; s <= 10; ++s)
    h << button(s, score_urls.at(static_cast<std::size_t>(s)),
                sv["options"][static_cast<std::size_t>(s)]["aria_label"]);
  h << "</tr></table><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
       "border=\"0\" "
       "dir=\""
    << dir
    << "\"><tr><td class=\"nps-muted\" style=\"padding-top:6px;font-family:Arial,Helvetica,sans-serif;"
       "font-size:13px;color:#495057;text-align:start\">"
    << html_escape(sv.value("low_label", ""))
    << "</td><td class=\"nps-muted\" "
       "style=\"padding-top:6px;font-family:Arial,Helvetica,sans-serif;font-size:13px;"
       "color:#495057;text-align:end\" align=\""
    << (dir == "rtl" ? "left" : "right") << "\">" << html_escape(sv.value("high_label", ""))
    << "</td></tr></table>"
    << "</td></tr></table>"
    << "<!--[if mso]></td></tr></table><![endif]-->"
    << "<p class=\"nps-muted\" dir=\"" << dir
    << "\" style=\"max-width:600px;margin:16px auto 0;font-family:Arial,Helvetica,sans-serif;font-size:12px;"
       "color:#6c757d;text-align:center\">"
    << html_escape(tx(T::email_why)) << " <a href=\"" << html_escape(unsubscribe_url)
    << "\" style=\"color:#6c757d;text-decoration:underline\">" << html_escape(tx(T::unsubscribe))
    << "</a></p>"
    << "</td></tr></table></body></html>";
  e.html = h.str();

  std::ostringstream t;
  t << tx(T::email_intro) << "\n\n" << question << "\n\n";
  for (int s = 0; s <= 10; ++s)
    t << s << ": " << score_urls.at(static_cast<std::size_t>(s)) << "\n";
  t << "\n0 = " << sv.value("low_label", "") << ", 10 = " << sv.value("high_label", "") << "\n\n-- \n"
    << tx(T::email_why) << "\n"
    << tx(T::unsubscribe) << ": " << unsubscribe_url << "\n";
  e.text = t.str();
  return e;
}

std::string encode_header_words(std::string_view text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (plain && text.find("=?") == std::string_view::npos) return std::string(text);
  // Each word holds at most 45 bytes (60 base64 characters + 12 of "=?UTF-8?B?" "?="), cut
  // before a UTF-8 lead byte.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = std::min<std::size_t>(45, text.size() - i);
    while (i + n < text.size() && n > 0 && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80)
      --n;
    std::string chunk(text.substr(i, n));
    std::string b64 = base64url(chunk);
    for (auto& ch : b64) {
      if (ch == '-')
        ch = '+';
      else if (ch == '_')
        ch = '/';
    }
    while (b64.size() % 4)
      b64 += '=';
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + b64 + "?=";
    i += n;
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t col = 0;
  const auto put = [&](const std::string& piece) {
    if (col + piece.size() > 75) {
      out += "=\r\n";
      col = 0;
    }
    out += piece;
    col += piece.size();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      out += "\r\n";
      col = 0;
      ++i;
      continue;
    }
    const bool at_line_end = i + 1 == text.size() || text[i + 1] == '\r';
    if ((c >= 33 && c <= 126 && c != '=') || (c == ' ' && !at_line_end))
      put(std::string(1, static_cast<char>(c)));
    else
      put(std::string{'=', hex[c >> 4], hex[c & 15]});
  }
  return out;
}

std::string rfc5322_date(Millis t) {
  const std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr std::array<const char*, 7> days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                days[static_cast<std::size_t>(tm.tm_wday)], tm.tm_mday,
                months[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string build_message(const Envelope& env, const EmailContent& content, const std::string& boundary) {
  const auto mailbox = [](const std::string& name, const std::string& address) {
    if (name.empty()) return "<" + address + ">";
    std::string n = encode_header_words(name);
    if (n == name) { // plain ASCII: a quoted string
      std::string q = "\"";
      for (char c : name) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
      }
      n = q + "\"";
    }
    return n + " <" + address + ">";
  };
  std::string m;
  m += "From: " + mailbox(env.from_name, env.from_address) + "\r\n";
  m += "To: " + mailbox(env.to_name, env.to_address) + "\r\n";
  m += "Subject: " + encode_header_words(content.subject) + "\r\n";
  m += "Date: " + rfc5322_date(env.date) + "\r\n";
  m += "Message-ID: <" + env.message_id + ">\r\n";
  if (!env.unsubscribe_url.empty()) { // a survey e-mail; an alert to the team has none
    m += "List-Unsubscribe: <" + env.unsubscribe_url + ">\r\n";
    m += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  m += "Auto-Submitted: auto-generated\r\n";
  m += "Content-Language: " + content.locale + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "--" + boundary +
       "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  m += quoted_printable(wrap_lines(content.text)) + "\r\n";
  m += "--" + boundary +
       "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  m += quoted_printable(content.html) + "\r\n";
  m += "--" + boundary + "--\r\n";
  return m;
}

} // namespace npsd
