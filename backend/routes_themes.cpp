// Admin: comment themes (issue 16), from the term counts stored with each answer
// (themes_store.hpp), never from the comments themselves:
//   GET /v1/admin/surveys/{id}/themes?from=&to=&locale=&channel=&device=&term=
// - themes of detractors against promoters, of detractors against passives, and of promoters
//   against detractors: log-odds with an informative Dirichlet prior (core themes.hpp), z;
// - each theme's impact (NPS of commenters who mention it against those who don't, 95%
//   interval, p) and its weekly share of comments with a trend test (rising flag);
// - `term=`: the newest comments behind that theme, for analysts only (a viewer gets themes
//   and numbers, never comment text).
// channel= and device= keep the answers given there (checked strictly: 400 naming the one
// refused), as on the other pages; the counts are kept per channel and device for that.
// Only terms in at least kMinComments comments are shown, so one person's rare words (a name,
// an address) never become a theme. Each list is pruned by the core's phrase rule
// (nps::prune_phrases) before its top kTop: a word nearly always inside a phrase is listed
// under it ("folded"), a rare phrase no sharper than its word gives way to the word.
#include "server_internal.hpp"

#include "dates.hpp"
#include "nps/themes.hpp"
#include "sentiment.hpp"
#include "text_terms.hpp"
#include "themes_store.hpp"

#include <algorithm>
#include <map>

namespace npsd {

namespace {

constexpr std::uint64_t kMinComments = 3;
constexpr std::size_t kTop = 10;
constexpr std::size_t kBehind = 20;

std::int32_t week_of(std::int32_t d) { return d - ((d % 7 + 7 + 3) % 7); } // Mondays

std::uint64_t count_in(const nps::TermCounts& c, const std::string& term) {
  const auto it = c.find(term);
  return it == c.end() ? 0 : it->second;
}

json impact_json(const nps::Tally& with, const nps::Tally& commenters) {
  nps::Tally without;
  for (int s = 0; s <= 10; ++s)
    without.add(nps::Score::from_int(s).value(),
                commenters.count(s) - std::min(commenters.count(s), with.count(s)));
  auto r = nps::impact(with, without);
  if (!r) return nullptr;
  return {{"mentioning", {{"n", r->with.n}, {"nps", r->with.nps}}},
          {"others", {{"n", r->without.n}, {"nps", r->without.nps}}},
          {"difference", r->test.difference},
          {"ci95", {r->ci95.lo, r->ci95.hi}},
          {"p", r->test.p},
          {"significant", r->test.significant},
          {"small_sample", r->test.small_sample}};
}

json trend_json(const std::vector<ThemeDay>& mentions, const std::map<std::int32_t, std::uint64_t>& weeks) {
  std::map<std::int32_t, std::uint64_t> by_week;
  for (const auto& d : mentions)
    by_week[week_of(d.day)] += d.count;
  std::vector<nps::Period> periods;
  json starts = json::array();
  if (!weeks.empty())
    for (std::int32_t w = weeks.begin()->first; w <= weeks.rbegin()->first; w += 7) {
      const auto c = weeks.find(w);
      const auto m = by_week.find(w);
      periods.push_back({m == by_week.end() ? 0 : m->second, c == weeks.end() ? 0 : c->second});
      starts.push_back(date_text(w));
    }
  auto t = nps::trend(periods);
  if (!t) return nullptr;
  return {{"weeks", starts}, {"shares", t->shares}, {"z", t->z},
          {"p", t->p},       {"rising", t->rising}, {"falling", t->falling}};
}

} // namespace

void Server::themes_routes() {
  route("GET", "/v1/admin/surveys/{id}/themes", Access::viewer, [this](Ctx& c) {
    if (!live(c.params[0])) return send_error(c.res, ApiCode::not_found, "", "no survey " + c.params[0]);
    ThemeQuery q{c.params[0], 0, day_of(config_.clock()), std::nullopt};
    std::vector<ApiError> errors;
    for (auto [name, target] : {std::pair{"from", &q.from_day}, std::pair{"to", &q.to_day}})
      if (c.req.has_param(name)) {
        if (auto d = parse_date(c.req.get_param_value(name)))
          *target = *d;
        else
          errors.push_back({ApiCode::invalid_format, name, "a date YYYY-MM-DD"});
      }
    const Segments seg = query_segments(c, errors); // channel=, device=, locale=, strictly
    q.channel = seg.channel;
    q.device = seg.device;
    if (seg.locale) q.lang = term_language(*seg.locale);
    std::string term = c.req.has_param("term") ? c.req.get_param_value("term") : "";
    if (term.size() > 200) errors.push_back({ApiCode::too_long, "term", "at most 200 bytes"});
    if (!errors.empty()) return send_errors(c.res, errors);
    if (!term.empty() && c.token->role < Role::analyst)
      return send_error(c.res, ApiCode::forbidden, "term",
                        "the comments behind a theme need the analyst role");

    const ThemesStore& store = storage_->themes();
    const nps::Tally commenters = store.commenters(q);
    std::map<std::int32_t, std::uint64_t> weeks;
    for (const auto& d : store.days(q, ""))
      weeks[week_of(d.day)] += d.count;
    nps::TermCounts det, pas, pro;
    std::map<std::string, std::string> forms;
    for (const auto& row : store.terms(q, kMinComments)) {
      if (row.detractors) det[row.term] = row.detractors;
      if (row.passives) pas[row.term] = row.passives;
      if (row.promoters) pro[row.term] = row.promoters;
      forms[row.term] = row.form;
    }
    // The informative prior: every commenter's counts (detractors, passives, promoters).
    nps::TermCounts background = det;
    for (const auto* side : {&pas, &pro})
      for (const auto& [t, n] : *side)
        background[t] += n;

    std::map<std::string, json> details; // impact and trend, once per term shown
    auto detail = [&](const std::string& t) -> const json& {
      auto it = details.find(t);
      if (it != details.end()) return it->second;
      return details[t] = json{{"impact", impact_json(store.mentioning(q, t), commenters)},
                               {"trend", trend_json(store.days(q, t), weeks)}};
    };
    auto ranked = [&](const nps::TermCounts& a, const nps::TermCounts& b) {
      json out = json::array();
      auto scores = nps::log_odds(a, b, &background);
      if (!scores) return out;
      auto pruned = nps::prune_phrases(*scores);
      if (!pruned) return out;
      for (const auto& [s, folded] : pruned->kept) {
        if (out.size() == kTop || s.z <= 0) break;
        if (s.a < kMinComments) continue;
        json under = json::array();
        for (const auto& f : folded)
          under.push_back({{"term", f}, {"form", forms[f]}, {"comments", count_in(a, f)}});
        json item = {{"term", s.term},
                     {"form", forms[s.term]},
                     {"words", 1 + std::count(s.term.begin(), s.term.end(), ' ')},
                     {"comments", s.a},
                     {"comments_other", s.b},
                     {"delta", s.delta},
                     {"z", s.z},
                     {"significant", s.z > 1.96},
                     {"folded", under}};
        item.update(detail(s.term));
        out.push_back(std::move(item));
      }
      return out;
    };

    json languages = json::array();
    for (const auto& [lang, n] : store.languages(q))
      languages.push_back({{"lang", lang}, {"comments", n}});
    json out = {{"survey_id", q.survey_id},
                {"from", date_text(q.from_day)},
                {"to", date_text(q.to_day)},
                {"lang", q.lang ? json(*q.lang) : json(nullptr)},
                {"channel", q.channel ? json(*q.channel) : json(nullptr)},
                {"device", q.device ? json(*q.device) : json(nullptr)},
                {"languages", languages},
                {"comments", commenters.n()},
                {"min_comments", kMinComments},
                {"method", "log-odds, informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)"},
                {"detractors", ranked(det, pro)},
                {"detractors_vs_passives", ranked(det, pas)},
                {"promoters", ranked(pro, det)}};
    if (!term.empty()) {
      json behind = json::array();
      for (const auto& b : store.comments(q, term, kBehind)) {
        json item{{"response_id", b.response_id},
                  {"score", b.score},
                  {"comment", b.comment},
                  {"locale", b.locale},
                  {"received_at", iso_time(b.received_at)}};
        const auto score = nps::Score::from_int(b.score);
        if (auto words = comment_sentiment(b.comment, b.locale); words && score) {
          const auto verdict = nps::sentiment_verdict(*score, words->sum);
          item["sentiment"] = {{"score", words->sum},
                               {"tone", std::string(nps::to_string(verdict.tone))},
                               {"disagrees", verdict.disagrees}};
        }
        behind.push_back(item);
      }
      out["term"] = term;
      out["behind"] = behind;
    }
    send_json(c.res, 200, out);
  });
}

} // namespace npsd
