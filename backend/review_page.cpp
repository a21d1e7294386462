// The draft-review page of a survey (see review_page.hpp).
#include "review_page.hpp"

#include "link_page.hpp"
#include "nps/flow.hpp"
#include "nps/i18n.hpp"
#include "nps/review_texts.hpp"

#include <algorithm>
#include <map>
#include <sstream>

namespace npsd {

namespace {

using nps::json;
using RT = nps::review_texts::Text;

std::string rt(const std::string& locale, RT t) { return std::string(nps::review_texts::text(locale, t)); }
std::string esc(const json& j) { return j.is_string() ? html_escape(j.get<std::string>()) : std::string(); }

constexpr const char* kStyle = R"css(
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--fg:#1b1e24;--muted:#545b68;--line:#d5d9e0}
@media (prefers-color-scheme:dark){:root{--bg:#15171b;--card:#1f2228;--fg:#eceef2;--muted:#a8afbc;--line:#3a3f48}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans Hebrew","Noto Sans CJK SC",sans-serif}
header,section{max-width:46rem;margin:1.5rem auto;padding:1.25rem 1.5rem;background:var(--card);border-radius:12px}
header{border-top:6px solid var(--accent)}h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1.25rem;margin:0 0 1rem}
h3{font-size:1rem;margin:1.5rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
.note{color:var(--muted)}.changed{padding:.6rem .8rem;border-inline-start:4px solid #e0a100;background:rgba(224,161,0,.12);border-radius:6px}
nav ul{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:.5rem 0 0}
nav a{display:inline-block;padding:.35rem .8rem;border:1px solid var(--line);border-radius:999px;color:var(--fg);text-decoration:none}
nav a:hover{border-color:var(--accent)}a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.q{font-size:1.15rem;font-weight:600;margin:.25rem 0 .6rem}
.scale{display:grid;grid-template-columns:repeat(11,1fr);gap:.3rem;list-style:none;padding:0;margin:0}
.scale li{display:flex;align-items:center;justify-content:center;min-height:2.5rem;border:2px solid var(--line);border-radius:8px;font-weight:600}
.scale li.detractor{border-bottom-color:#d64545}.scale li.passive{border-bottom-color:#e0a100}.scale li.promoter{border-bottom-color:#2f9e44}
.labels{display:flex;justify-content:space-between;gap:1rem;color:var(--muted);font-size:.875rem;margin-top:.3rem}
.cat{margin-top:1rem;padding:.8rem 1rem;border:1px solid var(--line);border-radius:8px}
.cat h4{margin:0 0 .5rem;font-size:.95rem}.cat.detractor{border-inline-start:4px solid #d64545}
.cat.passive{border-inline-start:4px solid #e0a100}.cat.promoter{border-inline-start:4px solid #2f9e44}
.label{display:block;color:var(--muted);font-size:.85rem}.item{margin:.2rem 0 .8rem}
.opts{margin:.3rem 0;padding-inline-start:1.2rem}.box{display:inline-block;padding:.1rem .5rem;border:1px dashed var(--line);border-radius:6px;color:var(--muted)}
code{overflow-wrap:anywhere}
@media (max-width:30rem){header,section{margin:0 0 .6rem;border-radius:0;padding:1rem}.scale{grid-template-columns:repeat(6,1fr)}}
)css";

// The native names of the built-in languages; another tag is shown as itself.
std::string language_name(const std::string& tag) {
  static const std::map<std::string, std::string> names = {{"en", "English"},
                                                           {"es", "Español"},
                                                           {"ru", "Русский"},
                                                           {"zh-Hans", "简体中文"},
                                                           {"zh-Hant", "繁體中文"},
                                                           {"pt", "Português (Brasil)"},
                                                           {"pt-PT", "Português (Portugal)"},
                                                           {"de", "Deutsch"},
                                                           {"fr", "Français"},
                                                           {"ja", "日本語"},
                                                           {"ar", "العربية"},
                                                           {"he", "עברית"}};
  auto it = names.find(tag);
  return it == names.end() ? tag : it->second;
}

std::string head(const std::string& locale, const std::string& title, const std::string& accent,
                 const std::string& nonce) {
  std::ostringstream o;
  o << "<!doctype html><html lang=\"" << html_escape(locale) << "\" dir=\""
    << nps::i18n::to_string(nps::i18n::direction(locale)) << "\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
    << "<meta name=\"robots\" content=\"noindex,nofollow\"><meta name=\"color-scheme\" content=\"light "
       "dark\">"
    << "<title>" << html_escape(title) << "</title><style nonce=\"" << nonce
    << "\">:root{--accent:" << html_escape(accent) << "}" << kStyle << "</style></head><body>";
  return o.str();
}

// One of the page's own words inside a section in the survey's language.
std::string own(const std::string& locale, const std::string& text) {
  return "<span lang=\"" + html_escape(locale) + "\" dir=\"" +
         std::string(nps::i18n::to_string(nps::i18n::direction(locale))) + "\">" + html_escape(text) +
         "</span>";
}

void question(std::ostringstream& o, const std::string& pl, const json& q) {
  o << "<div class=\"item\" data-question=\"" << esc(q["id"]) << "\"><p class=\"q\">" << esc(q["text"])
    << "</p>";
  const std::string type = q.value("type", "");
  if (q.contains("hint")) o << "<p class=\"note\">" << esc(q["hint"]) << "</p>";
  if (q.contains("options")) {
    o << "<ul class=\"opts\">";
    for (const auto& opt : q["options"])
      o << "<li>" << esc(opt["label"]) << "</li>";
    o << "</ul>";
  }
  if (type == "rating") {
    o << "<ol class=\"scale\">";
    for (int v = q.value("min", 1); v <= q.value("max", 5); ++v)
      o << "<li>" << v << "</li>";
    o << "</ol><div class=\"labels\"><span>" << esc(q["low_label"]) << "</span><span>" << esc(q["high_label"])
      << "</span></div>";
  }
  if (type == "text" && q.contains("placeholder"))
    o << "<p>" << own(pl, rt(pl, RT::answer_hint)) << " <span class=\"box\">" << esc(q["placeholder"])
      << "</span></p>";
  o << "</div>";
}

void language(std::ostringstream& o, const nps::Survey& s, const std::string& tag, const std::string& pl) {
  nps::FlowStart start;
  start.idempotency_key = "review-page-view";
  start.languages = {tag};
  start.channel = nps::Channel::web; // as the widget shows it: with the qualifying question
  auto started = nps::start_flow(s, start);
  if (!started) return;
  nps::FlowState first = *started;
  nps::FlowState* st = &first;
  // The qualifying question, when there is one, comes first: drawn with the answers that
  // lead to the score, then the session goes on as one who qualified.
  json qualifying = nullptr;
  if (st->step == nps::Step::qualify) {
    qualifying = nps::view(s, *st)["question"];
    st->step = nps::Step::score;
  }
  const json v = nps::view(s, *st);
  const std::string l = v.value("locale", tag);
  const json& sv = v["score"];
  o << "<section id=\"lang-" << html_escape(l) << "\" lang=\"" << html_escape(l) << "\" dir=\""
    << esc(v["dir"]) << "\" aria-labelledby=\"h-" << html_escape(l) << "\" data-locale=\"" << html_escape(l)
    << "\"><h2 id=\"h-" << html_escape(l) << "\">" << html_escape(language_name(l)) << "</h2>";
  if (qualifying.is_object()) {
    std::string answers;
    for (const auto& opt : qualifying["options"])
      if (std::find(s.qualify->accept.begin(), s.qualify->accept.end(), opt["id"].get<std::string>()) !=
          s.qualify->accept.end())
        answers += (answers.empty() ? "“" : ", “") + opt["label"].get<std::string>() + "”";
    o << "<div data-test=\"qualify\"><p class=\"note\">"
      << own(pl, nps::i18n::format(rt(pl, RT::qualifying), {{"answers", answers}})) << "</p>";
    question(o, pl, qualifying);
    o << "</div>";
  }
  o << "<h3>" << own(pl, rt(pl, RT::score_question)) << "</h3><p class=\"q\" data-test=\"question\">"
    << esc(sv["question"]) << "</p><ol class=\"scale\">";
  for (const auto& opt : sv["options"])
    o << "<li class=\"" << esc(opt["category"]) << "\">" << opt["value"].get<int>() << "</li>";
  o << "</ol><div class=\"labels\"><span>" << esc(sv["low_label"]) << "</span><span>" << esc(sv["high_label"])
    << "</span></div>";
  for (auto [rep, heading] : {std::pair{0, RT::detractors}, {7, RT::passives}, {9, RT::promoters}}) {
    auto t = nps::apply(s, *st, {nps::EventType::choose_score, json(rep)});
    if (!t) continue;
    const std::string cat(nps::to_string(nps::classify(*nps::Score::from_int(rep))));
    o << "<div class=\"cat " << cat << "\" data-category=\"" << cat << "\"><h4>" << own(pl, rt(pl, heading))
      << "</h4>";
    const json fv = nps::view(s, t->state);
    o << "<span class=\"label\">" << own(pl, rt(pl, RT::followup)) << "</span>";
    if (fv.contains("followup"))
      o << "<div class=\"item\"><p class=\"q\" data-test=\"followup\">" << esc(fv["followup"]["question"])
        << "</p><p>" << own(pl, rt(pl, RT::answer_hint)) << " <span class=\"box\">"
        << esc(fv["followup"]["placeholder"]) << "</span></p></div>";
    else
      o << "<p class=\"note\">" << own(pl, rt(pl, RT::no_followup)) << "</p>";
    const auto& flow = s.flow_for(nps::classify(*nps::Score::from_int(rep)));
    if (!flow.questions.empty()) {
      o << "<span class=\"label\">" << own(pl, rt(pl, RT::more_questions)) << "</span>";
      for (std::size_t i = 0; i < flow.questions.size(); ++i) {
        nps::FlowState qs = t->state;
        qs.step = nps::Step::question;
        qs.question = static_cast<int>(i);
        const json qv = nps::view(s, qs);
        if (flow.questions[i].condition)
          o << "<p class=\"note\">" << own(pl, rt(pl, RT::conditional)) << "</p>";
        question(o, pl, qv["question"]);
      }
    }
    nps::FlowState th = t->state;
    th.step = nps::Step::thanks;
    const json tv = nps::view(s, th)["thanks"];
    o << "<span class=\"label\">" << own(pl, rt(pl, RT::thanks)) << "</span><p data-test=\"thanks\">"
      << esc(tv["text"]) << "</p>";
    if (tv["link"].is_object())
      o << "<p>" << esc(tv["link"]["label"]) << " <code dir=\"ltr\">" << esc(tv["link"]["url"])
        << "</code></p>";
    o << "</div>";
  }
  o << "</section>";
}

} // namespace

std::string review_csp(const std::string& nonce) {
  return "default-src 'none'; style-src 'nonce-" + nonce +
         "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

std::string render_review(const ReviewPage& p) {
  const nps::Survey& s = *p.survey;
  const std::string& pl = p.locale;
  // The survey's languages, its default first; none given: every built-in language.
  std::vector<std::string> tags = s.locales.empty() ? nps::i18n::builtin_locales() : s.locales;
  if (auto it = std::find(tags.begin(), tags.end(), s.default_locale); it != tags.end())
    std::rotate(tags.begin(), it, it + 1);
  else
    tags.insert(tags.begin(), s.default_locale);

  std::ostringstream o;
  o << head(pl, rt(pl, RT::page_title), s.theme.accent, p.nonce);
  o << "<header><h1>" << html_escape(rt(pl, RT::page_title)) << "</h1><p>"
    << html_escape(nps::i18n::format(rt(pl, RT::intro), {{"survey", s.name.empty() ? s.id : s.name}}))
    << "</p>";
  if (p.changed)
    o << "<p class=\"changed\" role=\"status\" data-test=\"changed\">" << html_escape(rt(pl, RT::changed))
      << "</p>";
  o << "<p class=\"note\">" << html_escape(nps::i18n::format(rt(pl, RT::expires), {{"date", p.expires_date}}))
    << "</p><nav aria-labelledby=\"langs\"><span id=\"langs\" class=\"label\">"
    << html_escape(rt(pl, RT::languages)) << "</span><ul>";
  for (const auto& tag : tags)
    o << "<li><a href=\"#lang-" << html_escape(tag) << "\" lang=\"" << html_escape(tag) << "\" hreflang=\""
      << html_escape(tag) << "\">" << html_escape(language_name(tag)) << "</a></li>";
  o << "</ul></nav></header><main>";
  for (const auto& tag : tags)
    language(o, s, tag, pl);
  o << "</main></body></html>";
  return o.str();
}

std::string render_review_notice(const std::string& locale, const std::string& title, const std::string& body,
                                 const std::string& nonce) {
  return head(locale, title, "#3b5bdb", nonce) + "<main><header><h1>" + html_escape(title) + "</h1><p>" +
         html_escape(body) + "</p></header></main></body></html>";
}

} // namespace npsd
