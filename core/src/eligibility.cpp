#include "nps/eligibility.hpp"

#include "nps/response.hpp"
#include "nps/text.hpp"
#include "reading.hpp"

#include <cmath>
#include <initializer_list>
#include <string>
#include <utility>

namespace nps {

std::string_view to_string(Verdict v) noexcept {
  switch (v) {
  case Verdict::show: return "show";
  case Verdict::wait: return "wait";
  case Verdict::no: return "no";
  }
  return "no";
}

namespace {

constexpr std::int64_t ms_per_day = 86'400'000;

// The reasons are assembled with cat({...}) (reading.hpp).
using detail::cat;

// An object from (key, value) pairs: smaller to build than json's nested initializer lists.
json object_of(std::initializer_list<std::pair<const char*, json>> members) {
  json j = json::object();
  for (const auto& [key, value] : members)
    j[key] = value;
  return j;
}

// ---- URLs ------------------------------------------------------------------------------

constexpr char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Length of the "scheme://host" prefix (up to the first of `stops` after "://"), or 0 when
// the text does not start with a scheme.
std::size_t authority_end(std::string_view s, std::string_view stops) noexcept {
  if (s.empty() || !is_alpha(s[0])) return 0;
  std::size_t i = 1;
  while (i < s.size() &&
         (is_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.'))
    ++i;
  if (s.substr(i, 3) != "://") return 0;
  i += 3;
  while (i < s.size() && stops.find(s[i]) == std::string_view::npos)
    ++i;
  return i;
}

// Text whose first `fold` characters (scheme and host) compare in lower case.
struct Folded {
  std::string_view s;
  std::size_t fold = 0;
  [[nodiscard]] char operator[](std::size_t i) const noexcept { return i < fold ? lower(s[i]) : s[i]; }
  [[nodiscard]] std::size_t size() const noexcept { return s.size(); }
};

bool equal_at(const Folded& text, std::size_t at, const Folded& pat) noexcept {
  if (at > text.size() || pat.size() > text.size() - at) return false;
  for (std::size_t i = 0; i < pat.size(); ++i)
    if (text[at + i] != pat[i]) return false;
  return true;
}

// The index after the UTF-8 character starting at i (continuation bytes are skipped).
std::size_t next_char(const Folded& s, std::size_t i) noexcept {
  ++i;
  while (i < s.size() && (static_cast<unsigned char>(s.s[i]) & 0xC0) == 0x80)
    ++i;
  return i;
}

// Whole-string glob: '*' any run of characters, '?' one character. Iterative, with one
// backtracking point (the last '*'), so it runs in O(|pattern| × |url|) at worst.
bool glob_match(const Folded& pat, const Folded& url) noexcept {
  std::size_t p = 0, u = 0;
  std::size_t star = std::string_view::npos, mark = 0;
  while (u < url.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = u;
    } else if (p < pat.size() && pat[p] == '?') {
      ++p;
      u = next_char(url, u);
    } else if (p < pat.size() && pat[p] == url[u]) {
      ++p;
      ++u;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      mark = next_char(url, mark);
      u = mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*')
    ++p;
  return p == pat.size();
}

// ---- days ------------------------------------------------------------------------------

// Whole days from t to now; a t after now (clock skew) counts as 0.
std::int64_t days_since(std::int64_t t, std::int64_t now) noexcept {
  if (t >= now) return 0;
  const std::uint64_t diff = static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(t);
  return static_cast<std::int64_t>(diff / static_cast<std::uint64_t>(ms_per_day));
}

std::string n_days(std::int64_t n) { return cat({n, n == 1 ? " day" : " days"}); }
std::string ago(std::int64_t n) { return n == 0 ? "today" : cat({n, n == 1 ? " day ago" : " days ago"}); }

// ---- attributes ------------------------------------------------------------------------

// A number from a JSON number, or from a string that is a JSON number ("12", " 1.5 ").
std::optional<double> number_of(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  if (s.empty() || s.size() > 64) return std::nullopt;
  auto parsed = parse_json_value(trim(s));
  if (!parsed || !parsed->is_number()) return std::nullopt;
  const double d = parsed->get<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

bool is_integral(const json& v) noexcept { return v.is_number_integer() || v.is_number_unsigned(); }

// Equality of attribute values: numbers numerically (also a number against a numeric
// string), everything else as JSON values.
bool same_value(const json& actual, const json& expected) {
  if (actual.is_number() && expected.is_number()) {
    if (is_integral(actual) && is_integral(expected)) {
      const auto a = as_integer(actual), e = as_integer(expected);
      if (a && e) return *a == *e;
      return actual == expected; // beyond int64: both unsigned
    }
    return actual.get<double>() == expected.get<double>();
  }
  if ((actual.is_number() && expected.is_string()) || (actual.is_string() && expected.is_number())) {
    const auto a = number_of(actual), e = number_of(expected);
    return a && e && *a == *e;
  }
  return actual == expected;
}

// The visitor's value of an attribute; nullptr when it has none (null counts as none).
const json* attribute(const json& attributes, const std::string& key) {
  if (!attributes.is_object()) return nullptr;
  auto it = attributes.find(key);
  return it != attributes.end() && !it->is_null() ? &*it : nullptr;
}

bool rule_holds(const AttributeRule& rule, const json* actual) {
  if (!actual) return rule.op == AttributeOp::not_equals;
  switch (rule.op) {
  case AttributeOp::equals: return same_value(*actual, rule.value);
  case AttributeOp::not_equals: return !same_value(*actual, rule.value);
  case AttributeOp::greater:
  case AttributeOp::less: {
    const auto a = number_of(*actual), e = number_of(rule.value);
    if (!a || !e) return false;
    return rule.op == AttributeOp::greater ? *a > *e : *a < *e;
  }
  case AttributeOp::contains:
    if (actual->is_string()) {
      if (!rule.value.is_string()) return false;
      return actual->get_ref<const std::string&>().find(rule.value.get_ref<const std::string&>()) !=
             std::string::npos;
    }
    if (actual->is_array()) {
      for (const auto& element : *actual)
        if (same_value(element, rule.value)) return true;
    }
    return false;
  }
  return false;
}

std::string value_text(const json& v) { return v.is_string() ? v.get<std::string>() : dump(v); }

std::string describe(const AttributeRule& r) {
  std::string_view sym;
  switch (r.op) {
  case AttributeOp::equals: sym = " = "; break;
  case AttributeOp::not_equals: sym = " != "; break;
  case AttributeOp::greater: sym = " > "; break;
  case AttributeOp::less: sym = " < "; break;
  case AttributeOp::contains: sym = " contains "; break;
  }
  return cat({r.key, sym, value_text(r.value)});
}

std::string describe(const UrlRule& r) {
  std::string_view verb;
  switch (r.match) {
  case UrlMatch::exact: verb = "is"; break;
  case UrlMatch::contains: verb = "contains"; break;
  case UrlMatch::starts_with: verb = "starts with"; break;
  case UrlMatch::ends_with: verb = "ends with"; break;
  case UrlMatch::glob: verb = "matches"; break;
  }
  return cat({verb, " \"", r.pattern, "\""});
}

// ---- decisions -------------------------------------------------------------------------

// The checks below fill one Decision and return true when they decide (false: the next
// rule runs), so no Decision is copied on the way out of decide().
//
// Each reason is written by a callable, called only when the decision is to be explained
// (Explain): the browser's eligibility module, which every page loads, decides without
// them (decide_unexplained), so its code carries no sentence and no string building.
template <bool Explain, class Words>
bool make(Decision& d, Verdict v, const char* code, Words words, json params = json::object()) {
  d.verdict = v;
  d.code = code;
  if constexpr (Explain) d.reason = words();
  d.params = std::move(params);
  return true;
}

template <bool Explain, class Words>
bool no(Decision& d, const char* code, Words words, json params = json::object()) {
  return make<Explain>(d, Verdict::no, code, words, std::move(params));
}

// Words that need no building.
auto said(const char* sentence) {
  return [sentence] { return std::string(sentence); };
}

// "25", "0.5", "12.25": a percentage in hundredths, written without trailing zeros.
std::string percent_text(std::int64_t hundredths) {
  std::string s = cat({hundredths / 100});
  const std::int64_t frac = hundredths % 100;
  if (frac != 0) {
    s += '.';
    s += static_cast<char>('0' + frac / 10);
    if (frac % 10 != 0) s += static_cast<char>('0' + frac % 10);
  }
  return s;
}

json percent_json(std::int64_t hundredths) {
  if (hundredths % 100 == 0) return hundredths / 100;
  return static_cast<double>(hundredths) / 100.0;
}

std::int64_t percent_hundredths(double percent) noexcept {
  if (!(percent > 0)) return 0; // also NaN
  if (percent >= 100) return 10000;
  // std::llround for a positive x, without libm's round (smaller in Wasm); x - floor(x) is exact.
  const double x = percent * 100.0, whole = std::floor(x);
  return static_cast<std::int64_t>(x - whole >= 0.5 ? whole + 1 : whole);
}

// The rules of a list, described and joined: "is \"/a\"; contains \"b\"".
template <class Rules, class Keep>
std::string described(const Rules& rules, const char* separator, Keep keep) {
  std::string list;
  for (const auto& rule : rules) {
    if (!keep(rule)) continue;
    if (!list.empty()) list += separator;
    list += describe(rule);
  }
  return list;
}

template <bool E> bool check_urls(Decision& d, const Targeting& t, const PageContext& page) {
  std::size_t includes = 0;
  bool included = false;
  for (const auto& rule : t.urls) {
    const bool hit = url_matches(rule.match, rule.pattern, page.url);
    if (rule.exclude) {
      if (hit)
        return no<E>(
            d, "url_excluded",
            [&] {
              return cat({"this page is excluded: its URL ", describe(rule)});
            },
            object_of({{"match", to_string(rule.match)}, {"pattern", rule.pattern}}));
    } else {
      ++includes;
      included = included || hit;
    }
  }
  if (includes == 0 || included) return false;
  return no<E>(
      d, "url_not_included",
      [&] {
        return cat({"this page is not targeted: its URL matches none of the survey's page rules (",
                    described(t.urls, "; ", [](const UrlRule& r) { return !r.exclude; }), ")"});
      },
      object_of({{"include_rules", includes}}));
}

template <bool E> bool check_device(Decision& d, const Targeting& t, const PageContext& page) {
  if (t.devices.empty()) return false;
  for (const auto& device : t.devices)
    if (device == page.device) return false;
  return no<E>(
      d, "device",
      [&] {
        std::string list;
        for (const auto& device : t.devices) {
          if (!list.empty()) list += ", ";
          list += device;
        }
        return cat({"shown on ", list, " only; this visitor is on ", page.device});
      },
      object_of({{"device", page.device}, {"devices", t.devices}}));
}

template <bool E> bool check_attributes(Decision& d, const Targeting& t, const VisitorState& v) {
  if (t.attributes.empty()) return false;
  const auto rule_params = [](const AttributeRule& r) {
    return object_of({{"key", r.key}, {"op", to_string(r.op)}, {"value", r.value}});
  };
  if (!v.identified) {
    json params = rule_params(t.attributes.front());
    params["identified"] = false;
    return no<E>(
        d, "attribute",
        [&] {
          return cat({"targets identified users with ",
                      described(t.attributes, " and ", [](const AttributeRule&) { return true; }),
                      "; this visitor is anonymous"});
        },
        std::move(params));
  }
  for (const auto& r : t.attributes) {
    const json* actual = attribute(v.attributes, r.key);
    if (rule_holds(r, actual)) continue;
    json params = rule_params(r);
    params["actual"] = actual ? *actual : json();
    // "...; this visitor has plan = free" or "...; this visitor has no plan"
    return no<E>(
        d, "attribute",
        [&] {
          return cat({"targets users with ", describe(r),
                      actual ? "; this visitor has " : "; this visitor has no ", r.key, actual ? " = " : "",
                      actual ? value_text(*actual) : std::string()});
        },
        std::move(params));
  }
  return false;
}

// A "not before N days after t" rule; false when it holds.
template <bool E>
bool check_days(Decision& d, std::optional<std::int64_t> t, int after_days, std::int64_t now,
                const char* code, const char* what, const char* then) {
  if (!t || after_days <= 0) return false;
  const std::int64_t days = days_since(*t, now);
  if (days >= after_days) return false;
  return no<E>(
      d, code,
      [&] {
        return cat({what, " ", ago(days), "; ", then, " ", n_days(after_days)});
      },
      object_of({{"days_ago", days}, {"after_days", after_days}}));
}

template <bool E> void check_trigger(Decision& d, const Trigger& t, const VisitorState& v) {
  // One make() per kind of trigger, its words chosen by the outcome: fewer call sites.
  switch (t.type) {
  case TriggerType::page_load:
    if (t.delay_seconds <= 0) {
      make<E>(d, Verdict::show, "eligible", said("eligible; shown on page load"));
      return;
    }
    break;
  case TriggerType::scroll:
  case TriggerType::exit_intent: break;
  case TriggerType::event: {
    const auto it = v.event_counts.find(t.event);
    const std::int64_t seen = it == v.event_counts.end() ? 0 : it->second;
    const bool reached = seen >= t.count;
    // "eligible; signup seen 2 of 2 times" or "waiting for signup: seen 1 of 2 times"
    make<E>(
        d, reached ? Verdict::show : Verdict::no, reached ? "eligible" : "event_count",
        [&] {
          return cat({reached ? "eligible; " : "waiting for ", t.event, reached ? " seen " : ": seen ", seen,
                      " of ", t.count, " times"});
        },
        object_of({{"event", t.event}, {"seen", seen}, {"count", t.count}}));
    return;
  }
  case TriggerType::page_views: {
    const bool reached = v.page_views >= t.count;
    // "eligible; page view 3 of 3" or "page view 2 of 3"
    make<E>(
        d, reached ? Verdict::show : Verdict::no, reached ? "eligible" : "page_views",
        [&] {
          return cat({reached ? "eligible; page view " : "page view ", v.page_views, " of ", t.count});
        },
        object_of({{"page_views", v.page_views}, {"count", t.count}}));
    return;
  }
  }
  d.wait_for = t;
  if (t.type == TriggerType::exit_intent) {
    make<E>(d, Verdict::wait, "trigger_wait", said("show on exit intent"));
    return;
  }
  const bool load = t.type == TriggerType::page_load;
  const int n = load ? t.delay_seconds : t.scroll_percent;
  // "show after 5 s on the page" or "show after scrolling 50%"
  make<E>(
      d, Verdict::wait, "trigger_wait",
      [&] {
        return cat({load ? "show after " : "show after scrolling ", n, load ? " s on the page" : "%"});
      },
      object_of({{load ? "delay_seconds" : "scroll_percent", n}}));
}

template <bool E>
Decision decide_with(std::string_view survey_id, const Targeting& t, const Sampling& s,
                     const VisitorState& visitor, const PageContext& page) {
  Decision d;
  if (page.forced) {
    make<E>(d, Verdict::show, "forced",
            said("shown on request (nps('show')): targeting and throttling skipped"));
    return d;
  }

  if (check_urls<E>(d, t, page) || check_device<E>(d, t, page) || check_attributes<E>(d, t, visitor))
    return d;

  const auto hist = visitor.surveys.find(std::string(survey_id));
  const SurveyHistory none;
  const SurveyHistory& h = hist == visitor.surveys.end() ? none : hist->second;
  // A visitor never seen before is seen now: 0 days old.
  if (check_days<E>(d, visitor.first_seen.value_or(page.now), s.min_user_age_days, page.now, "too_new",
                    "first seen", "survey waits until") ||
      check_days<E>(d, h.last_dismissed, s.resurvey_after_dismiss_days, page.now, "dismissed_recently",
                    "dismissed", "resurvey after") ||
      check_days<E>(d, h.last_answered, s.resurvey_after_answer_days, page.now, "answered_recently",
                    "answered", "resurvey after") ||
      check_days<E>(d, visitor.last_survey_shown, s.global_cooldown_days, page.now, "global_cooldown",
                    "a survey was shown", "this survey waits after any survey for"))
    return d;

  const std::int64_t threshold = percent_hundredths(s.percent);
  if (threshold < 10000) {
    const std::uint32_t bucket = sample_bucket(visitor.visitor_id, survey_id);
    if (static_cast<std::int64_t>(bucket) >= threshold) {
      no<E>(
          d, "not_sampled",
          [&] {
            return cat({"not in the ", percent_text(threshold), "% sample (bucket ", bucket, ")"});
          },
          object_of({{"percent", percent_json(threshold)}, {"bucket", bucket}}));
      return d;
    }
  }

  check_trigger<E>(d, t.trigger, visitor);
  return d;
}

} // namespace

// ---- sampling --------------------------------------------------------------------------

std::uint32_t sample_bucket(std::string_view visitor_id, std::string_view survey_id) noexcept {
  std::uint64_t h = 14695981039346656037ULL; // FNV-1a 64-bit offset basis
  const auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ULL; // FNV 64-bit prime
  };
  for (char c : survey_id)
    mix(static_cast<unsigned char>(c));
  mix(':');
  for (char c : visitor_id)
    mix(static_cast<unsigned char>(c));
  return static_cast<std::uint32_t>(h % 10000);
}

bool in_sample(double percent, std::string_view visitor_id, std::string_view survey_id) noexcept {
  return static_cast<std::int64_t>(sample_bucket(visitor_id, survey_id)) < percent_hundredths(percent);
}

// ---- URLs ------------------------------------------------------------------------------

bool url_matches(UrlMatch m, std::string_view pattern, std::string_view url) noexcept {
  const Folded u{url, authority_end(url, "/?#")};
  // In a glob '?' is a wildcard, not the start of a query.
  const Folded p{pattern, authority_end(pattern, m == UrlMatch::glob ? "/#" : "/?#")};
  switch (m) {
  case UrlMatch::exact: return u.size() == p.size() && equal_at(u, 0, p);
  case UrlMatch::starts_with: return equal_at(u, 0, p);
  case UrlMatch::ends_with: return p.size() <= u.size() && equal_at(u, u.size() - p.size(), p);
  case UrlMatch::contains:
    if (p.size() > u.size()) return false;
    for (std::size_t at = 0; at + p.size() <= u.size(); ++at)
      if (equal_at(u, at, p)) return true;
    return false;
  case UrlMatch::glob: return glob_match(p, u);
  }
  return false;
}

// ---- decide ----------------------------------------------------------------------------

Decision decide(const Survey& survey, const VisitorState& visitor, const PageContext& page) {
  return decide(survey.id, survey.targeting, survey.sampling, visitor, page);
}

Decision decide(std::string_view survey_id, const Targeting& t, const Sampling& s,
                const VisitorState& visitor, const PageContext& page) {
  return decide_with<true>(survey_id, t, s, visitor, page);
}

Decision decide_unexplained(std::string_view survey_id, const Targeting& t, const Sampling& s,
                            const VisitorState& visitor, const PageContext& page) {
  return decide_with<false>(survey_id, t, s, visitor, page);
}

// ---- JSON ------------------------------------------------------------------------------

json trigger_json(const Trigger& t) {
  json j = json::object();
  j["type"] = to_string(t.type);
  switch (t.type) {
  case TriggerType::page_load: j["delay_seconds"] = t.delay_seconds; break;
  case TriggerType::scroll: j["scroll_percent"] = t.scroll_percent; break;
  case TriggerType::exit_intent: break;
  case TriggerType::event:
    j["event"] = t.event;
    j["count"] = t.count;
    break;
  case TriggerType::page_views: j["count"] = t.count; break;
  }
  return j;
}

json to_json(const Decision& d) {
  json j{{"verdict", std::string(to_string(d.verdict))},
         {"code", d.code},
         {"reason", d.reason},
         {"params", d.params}};
  if (d.verdict == Verdict::wait && d.wait_for) j["wait_for"] = trigger_json(*d.wait_for);
  return j;
}

} // namespace nps
