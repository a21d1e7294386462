// The themes operations of api.cpp's invoke(): JSON in, the statistics of themes.hpp out.
//   themes.log_odds {"a": {term: count}, "b": {term: count}, "prior"?: {term: count},
//                    "prior_scale"?: number, "top"?: n, "prune"?: true | {"fold"?, "rare"?}}
//                   → [{"term","a","b","delta","se","z"}], highest z first; with "prune", the
//                     terms prune_phrases keeps, each with "folded": [the terms under it]
//   themes.prune    {"terms": [{"term", "a", "delta"}], "fold"?: share, "rare"?: share}
//                   → {"terms": [{"term", "folded"}], "folded": {term: phrase},
//                      "dropped": {phrase: term}}
//   themes.impact   {"with": [11 counts], "without": [11 counts]}
//                   → {"with": {n, nps}, "without": {n, nps}, "difference", "ci95", "z", "p",
//                      "significant", "small_sample"}
//   themes.trend    {"periods": [{"mentions", "comments"}]} → {"shares", "z", "p", "rising", "falling"}
//   themes.sentiment {"score": 0…10, "sum": whole number} → {"tone", "disagrees"}
#include "nps/themes_api.hpp"

#include "nps/themes.hpp"

#include "api_fields.hpp"

#include <initializer_list>
#include <string_view>

namespace nps {

namespace {

using detail::unknown_fields;

// unknown_fields for an object inside the input, its errors named from `path`.
void unknown_fields(const json& in, std::initializer_list<std::string_view> known, Errors& errors,
                    std::string_view path) {
  Errors inner;
  detail::unknown_fields(in, known, inner);
  append_prefixed(errors, inner, path);
}

std::optional<std::uint64_t> count_at(const json& j) {
  if (!j.is_number()) return std::nullopt;
  const auto c = as_integer(j);
  if (!c || *c < 0) return std::nullopt;
  return static_cast<std::uint64_t>(*c);
}

Result<TermCounts> term_counts(const json& j, const std::string& path) {
  if (!j.is_object()) return type_error(path, "an object of term → count", j);
  TermCounts out;
  Errors errors;
  for (const auto& [term, v] : j.items()) {
    const auto c = count_at(v);
    if (term.empty())
      errors.push_back(Error{ErrorCode::empty, join_path(path, term), "a term is not empty"});
    else if (!c)
      errors.push_back(
          Error{ErrorCode::invalid_value, join_path(path, term), "a count is a whole number, 0 or more"});
    else
      out[term] = *c;
  }
  if (!errors.empty()) return errors;
  return out;
}

Result<Tally> counts_11(const json& j, const std::string& path) {
  if (!j.is_array() || j.size() != 11) return type_error(path, "an array of 11 counts (scores 0 to 10)", j);
  Tally t;
  for (int s = 0; s <= 10; ++s) {
    const auto c = count_at(j[static_cast<std::size_t>(s)]);
    if (!c)
      return Error{ErrorCode::invalid_value, join_path(path, static_cast<std::size_t>(s)),
                   "a count is a whole number, 0 or more"};
    t.add(*Score::from_int(s), *c);
  }
  return t;
}

ordered_json side_json(const Summary& s) { return ordered_json{{"n", s.n}, {"nps", s.nps}}; }

// "fold" and "rare" of a PhraseRule, where given; prune_phrases checks their ranges.
void read_rule(const json& in, const std::string& path, PhraseRule& rule, Errors& errors) {
  for (auto [key, target] : {std::pair{"fold", &rule.fold}, std::pair{"rare", &rule.rare}}) {
    if (!in.contains(key)) continue;
    if (in.at(key).is_number())
      *target = in.at(key).get<double>();
    else
      errors.push_back(type_error(join_path(path, key), "a share from 0 to 1", in.at(key)));
  }
}

ordered_json folded_json(const std::vector<std::string>& folded) {
  ordered_json out = ordered_json::array();
  for (const auto& t : folded)
    out.push_back(t);
  return out;
}

} // namespace

Result<ordered_json> op_themes_log_odds(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"a\" and \"b\"", in);
  Errors errors;
  unknown_fields(in, {"a", "b", "prior", "prior_scale", "top", "prune"}, errors);
  TermCounts a, b, prior;
  bool has_prior = false;
  for (auto [key, target] : {std::pair{"a", &a}, std::pair{"b", &b}, std::pair{"prior", &prior}}) {
    if (!in.contains(key)) {
      if (std::string_view(key) != "prior") errors.push_back(Error{ErrorCode::required, key, "required"});
      continue;
    }
    auto c = term_counts(in.at(key), key);
    if (!c) {
      for (const auto& e : c.errors())
        errors.push_back(e);
      continue;
    }
    *target = std::move(c).value();
    has_prior = has_prior || std::string_view(key) == "prior";
  }
  double scale = 1;
  if (in.contains("prior_scale")) {
    if (!in.at("prior_scale").is_number())
      errors.push_back(type_error("prior_scale", "a number above 0", in.at("prior_scale")));
    else
      scale = in.at("prior_scale").get<double>();
  }
  std::size_t top = 0; // 0: all
  if (in.contains("top")) {
    const auto t = count_at(in.at("top"));
    if (!t || *t == 0)
      errors.push_back(Error{ErrorCode::invalid_value, "top", "a whole number above 0"});
    else
      top = static_cast<std::size_t>(*t);
  }
  std::optional<PhraseRule> rule;
  if (in.contains("prune")) {
    const json& p = in.at("prune");
    if (p.is_boolean()) {
      if (p.get<bool>()) rule = PhraseRule{};
    } else if (p.is_object()) {
      unknown_fields(p, {"fold", "rare"}, errors, "prune");
      rule = PhraseRule{};
      read_rule(p, "prune", *rule, errors);
    } else {
      errors.push_back(type_error("prune", "true, false or {\"fold\", \"rare\"}", p));
    }
  }
  if (!errors.empty()) return errors;
  auto scores = log_odds(a, b, has_prior ? &prior : nullptr, scale);
  if (!scores) return scores.errors();
  const auto row = [](const TermScore& s) {
    return ordered_json{{"term", s.term},   {"a", s.a},   {"b", s.b},
                        {"delta", s.delta}, {"se", s.se}, {"z", s.z}};
  };
  ordered_json out = ordered_json::array();
  if (rule) {
    auto pruned = prune_phrases(*scores, *rule);
    if (!pruned) {
      Errors prefixed;
      append_prefixed(prefixed, pruned.errors(), "prune");
      return prefixed;
    }
    for (const auto& k : pruned->kept) {
      if (top && out.size() == top) break;
      ordered_json r = row(k.score);
      r["folded"] = folded_json(k.folded);
      out.push_back(std::move(r));
    }
    return out;
  }
  for (const auto& s : *scores) {
    if (top && out.size() == top) break;
    out.push_back(row(s));
  }
  return out;
}

Result<ordered_json> op_themes_prune(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"terms\"", in);
  Errors errors;
  unknown_fields(in, {"terms", "fold", "rare"}, errors);
  PhraseRule rule;
  read_rule(in, "", rule, errors);
  std::vector<TermScore> terms;
  if (!in.contains("terms")) {
    errors.push_back(Error{ErrorCode::required, "terms", "required"});
  } else if (!in.at("terms").is_array()) {
    errors.push_back(type_error("terms", "an array of {\"term\", \"a\", \"delta\"}", in.at("terms")));
  } else {
    const json& ts = in.at("terms");
    for (std::size_t i = 0; i < ts.size(); ++i) {
      const std::string path = join_path("terms", i);
      const json& t = ts[i];
      if (!t.is_object()) {
        errors.push_back(type_error(path, "an object with \"term\", \"a\" and \"delta\"", t));
        continue;
      }
      unknown_fields(t, {"term", "a", "delta"}, errors, path);
      TermScore s;
      if (!t.contains("term") || !t.at("term").is_string() || t.at("term").get<std::string>().empty())
        errors.push_back(Error{ErrorCode::invalid_value, join_path(path, "term"), "a term, not empty"});
      else
        s.term = t.at("term").get<std::string>();
      const auto a = t.contains("a") ? count_at(t.at("a")) : std::nullopt;
      if (!a)
        errors.push_back(Error{ErrorCode::invalid_value, join_path(path, "a"), "a whole number, 0 or more"});
      else
        s.a = *a;
      if (!t.contains("delta") || !t.at("delta").is_number())
        errors.push_back(Error{ErrorCode::invalid_value, join_path(path, "delta"), "a number"});
      else
        s.delta = t.at("delta").get<double>();
      terms.push_back(std::move(s));
    }
  }
  if (!errors.empty()) return errors;
  auto pruned = prune_phrases(terms, rule);
  if (!pruned) {
    Errors named; // a duplicate is named in "terms", a threshold as it is ("fold", "rare")
    for (const auto& e : pruned.errors())
      if (e.code == ErrorCode::duplicate)
        append_prefixed(named, {e}, "terms");
      else
        named.push_back(e);
    return named;
  }
  ordered_json kept = ordered_json::array(), folded = ordered_json::object(),
               dropped = ordered_json::object();
  for (const auto& k : pruned->kept)
    kept.push_back(ordered_json{{"term", k.score.term}, {"folded", folded_json(k.folded)}});
  for (const auto& [t, p] : pruned->folded_into)
    folded[t] = p;
  for (const auto& [p, t] : pruned->dropped_for)
    dropped[p] = t;
  return ordered_json{{"terms", kept}, {"folded", folded}, {"dropped", dropped}};
}

Result<ordered_json> op_themes_impact(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"with\" and \"without\"", in);
  Errors errors;
  unknown_fields(in, {"with", "without"}, errors);
  Tally with, without;
  for (auto [key, target] : {std::pair{"with", &with}, std::pair{"without", &without}}) {
    if (!in.contains(key)) {
      errors.push_back(Error{ErrorCode::required, key, "required"});
      continue;
    }
    auto t = counts_11(in.at(key), key);
    if (t)
      *target = *t;
    else
      errors.push_back(t.error());
  }
  if (!errors.empty()) return errors;
  auto r = impact(with, without);
  if (!r) return r.errors();
  return ordered_json{{"with", side_json(r->with)},
                      {"without", side_json(r->without)},
                      {"difference", r->test.difference},
                      {"ci95", ordered_json::array({r->ci95.lo, r->ci95.hi})},
                      {"z", r->test.z},
                      {"p", r->test.p},
                      {"significant", r->test.significant},
                      {"small_sample", r->test.small_sample}};
}

Result<ordered_json> op_themes_trend(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"periods\"", in);
  Errors errors;
  unknown_fields(in, {"periods"}, errors);
  if (!in.contains("periods")) errors.push_back(Error{ErrorCode::required, "periods", "required"});
  if (!errors.empty()) return errors;
  const json& ps = in.at("periods");
  if (!ps.is_array()) return type_error("periods", "an array of {\"mentions\", \"comments\"}", ps);
  std::vector<Period> periods;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const std::string path = join_path("periods", i);
    if (!ps[i].is_object()) {
      errors.push_back(type_error(path, "an object with \"mentions\" and \"comments\"", ps[i]));
      continue;
    }
    unknown_fields(ps[i], {"mentions", "comments"}, errors);
    Period p;
    for (auto [key, target] : {std::pair{"mentions", &p.mentions}, std::pair{"comments", &p.comments}}) {
      const auto c = ps[i].contains(key) ? count_at(ps[i].at(key)) : std::nullopt;
      if (!ps[i].contains(key))
        errors.push_back(Error{ErrorCode::required, join_path(path, key), "required"});
      else if (!c)
        errors.push_back(Error{ErrorCode::invalid_value, join_path(path, key), "a whole number, 0 or more"});
      else
        *target = *c;
    }
    periods.push_back(p);
  }
  if (!errors.empty()) return errors;
  auto t = trend(periods);
  if (!t) {
    Errors prefixed;
    append_prefixed(prefixed, t.errors(), "periods");
    return prefixed;
  }
  ordered_json shares = ordered_json::array();
  for (double s : t->shares)
    shares.push_back(s);
  return ordered_json{
      {"shares", shares}, {"z", t->z}, {"p", t->p}, {"rising", t->rising}, {"falling", t->falling}};
}

Result<ordered_json> op_themes_sentiment(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"score\" and \"sum\"", in);
  Errors errors;
  unknown_fields(in, {"score", "sum"}, errors);
  std::optional<Score> score;
  std::optional<std::int64_t> sum;
  if (!in.contains("score")) {
    errors.push_back(Error{ErrorCode::required, "score", "required"});
  } else {
    const auto n = in.at("score").is_number() ? as_integer(in.at("score")) : std::nullopt;
    auto s = n ? Score::from_int(*n) : Result<Score>(Error{ErrorCode::out_of_range, "score", ""});
    if (s)
      score = *s;
    else
      errors.push_back(Error{ErrorCode::out_of_range, "score", "a whole number from 0 to 10"});
  }
  if (!in.contains("sum"))
    errors.push_back(Error{ErrorCode::required, "sum", "required"});
  else if (sum = in.at("sum").is_number() ? as_integer(in.at("sum")) : std::nullopt;
           !sum || *sum < -1'000'000 || *sum > 1'000'000)
    errors.push_back(Error{ErrorCode::invalid_value, "sum", "a whole number from -1000000 to 1000000"});
  if (!errors.empty()) return errors;
  const auto v = sentiment_verdict(*score, static_cast<int>(*sum));
  return ordered_json{{"tone", std::string(to_string(v.tone))}, {"disagrees", v.disagrees}};
}

} // namespace nps
