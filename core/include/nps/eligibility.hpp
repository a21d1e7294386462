// Should this visitor see this survey now? One function, decide(), applies the survey's
// targeting and throttling to what is known about the visitor and the page, and answers
// show / wait / no with exactly one machine code and one sentence saying why, so a
// product team can always tell why a survey did (not) show.
//
// The rules, in order; the first that fails is the answer:
//   1. forced            nps('show', id) sets page.forced: show, nothing else is checked
//   2. url_excluded      an exclude rule matches the URL (exclude rules win)
//      url_not_included  include rules exist and none matches
//   3. device            targeting.devices is not empty and lacks page.device
//   4. attribute         a targeting attribute rule fails (or the visitor is anonymous)
//   5. too_new           first seen fewer than sampling.min_user_age_days days ago
//   6. dismissed_recently fewer than resurvey_after_dismiss_days since this survey was dismissed
//   7. answered_recently fewer than resurvey_after_answer_days since it was answered
//   8. global_cooldown   fewer than global_cooldown_days since any survey was shown (only
//                        when this survey sets global_cooldown_days > 0)
//   9. not_sampled       outside sampling.percent by a stable hash of survey and visitor
//  10. trigger           page_load (no delay) → show "eligible"; page_load with a delay,
//                        scroll, exit_intent → wait "trigger_wait"; event / page_views →
//                        show "eligible" when the count is reached, else no "event_count" /
//                        "page_views"
//
// Days are whole days elapsed: floor((now - t) / 86 400 000); a time after `now` (clock
// skew between devices) counts as 0 days ago. Times are milliseconds since 1970 and come
// in as arguments: the core has no clock.
#pragma once

#include "nps/json.hpp"
#include "nps/result.hpp"
#include "nps/survey.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace nps {

// What one visitor has seen of one survey (ms since epoch).
struct SurveyHistory {
  std::optional<std::int64_t> last_shown, last_answered, last_dismissed;
  friend bool operator==(const SurveyHistory&, const SurveyHistory&) = default;
};

// What the client (loader, native SDK) remembers about the visitor.
struct VisitorState {
  std::string visitor_id; // anonymous id or the identified user's id
  bool identified = false;
  std::optional<std::int64_t> first_seen;        // ms; missing: seen for the first time now
  std::map<std::string, SurveyHistory> surveys;  // by survey id
  std::optional<std::int64_t> last_survey_shown; // any survey, for the global cooldown
  std::map<std::string, std::int64_t> event_counts;
  std::int64_t page_views = 0;      // including the current page
  json attributes = json::object(); // identified user's attributes
  friend bool operator==(const VisitorState&, const VisitorState&) = default;
};

struct PageContext {
  std::string url; // the full URL; may be empty in native apps (then only surveys without URL rules match)
  std::string device = "desktop"; // desktop, mobile, tablet
  std::int64_t now = 0;           // ms since epoch
  bool forced = false;            // nps('show', id)
  friend bool operator==(const PageContext&, const PageContext&) = default;
};

enum class Verdict { show, wait, no }; // wait: eligible, show when the trigger fires
[[nodiscard]] std::string_view to_string(Verdict v) noexcept;

struct Decision {
  Verdict verdict = Verdict::no;
  // Machine reason: "forced", "url_excluded", "url_not_included", "device", "attribute",
  // "too_new", "dismissed_recently", "answered_recently", "global_cooldown", "not_sampled",
  // "trigger_wait", "event_count", "page_views", "eligible".
  std::string code;
  std::string reason;              // an English sentence: "answered 12 days ago; resurvey after 90 days"
  json params = json::object();    // the numbers in the reason: {"days_ago":12,"after_days":90}
  std::optional<Trigger> wait_for; // with Verdict::wait
};

[[nodiscard]] Decision decide(const Survey& survey, const VisitorState& visitor, const PageContext& page);

// The "not before N days after t" rule of decide (resurvey_after_*_days, the global
// cooldown) for callers that select by time, such as a campaign that skips anyone asked
// within its throttle: asking at `now` is allowed exactly when the earlier time t <= the
// result (or when days <= 0: no limit, the result is the largest time). resurvey.cpp.
[[nodiscard]] std::int64_t resurvey_cutoff(std::int64_t now, int days) noexcept;
// The same from the only parts of a survey it reads: for callers that hold just those (the
// browser's eligibility module, which then never builds a whole Survey).
[[nodiscard]] Decision decide(std::string_view survey_id, const Targeting& targeting,
                              const Sampling& sampling, const VisitorState& visitor, const PageContext& page);
// The same decision without its sentence (reason is empty; verdict, code, params and
// wait_for are the same): for the browser's eligibility module, which every page loads and
// which leaves the sentences to its debug build (web/eligibility_bindings.cpp).
[[nodiscard]] Decision decide_unexplained(std::string_view survey_id, const Targeting& targeting,
                                          const Sampling& sampling, const VisitorState& visitor,
                                          const PageContext& page);

// {"visitor_id": "v1", "identified": false, "first_seen": ms, "surveys": {"<id>":
// {"last_shown", "last_answered", "last_dismissed"}}, "last_survey_shown": ms,
// "event_counts": {"<event>": n}, "page_views": n, "attributes": {...}}. Only visitor_id
// is required; null means absent; unknown fields are errors. Every problem has its path
// ("surveys.nps1.last_shown").
[[nodiscard]] Result<VisitorState> parse_visitor(const json& j);
// {"url": "...", "device": "mobile", "now": ms, "forced": false}; `now` is required.
[[nodiscard]] Result<PageContext> parse_page(const json& j);
// The same readers without the words: nullopt exactly when parse_visitor (parse_page) has
// errors, else the same value. For the browser's eligibility module, which is loaded on
// every page and leaves explaining a bad input to its debug build (web/eligibility_bindings.cpp).
[[nodiscard]] std::optional<VisitorState> read_valid_visitor(const json& j);
[[nodiscard]] std::optional<PageContext> read_valid_page(const json& j);

// What a survey being shown, answered or dismissed changes in the visitor: shown sets the
// survey's last_shown and the visitor's last_survey_shown (the global cooldown); answered
// its last_answered; dismissed its last_dismissed; each to `now` (ms). The loader (through
// the flow module's visitor.record) and the native SDK both record through this.
enum class VisitEvent { shown, answered, dismissed };
[[nodiscard]] std::optional<VisitEvent> visit_event_from_string(std::string_view s) noexcept;
// On the visitor as JSON (as the loader keeps it): false, and nothing changed, when it is not
// an object or its surveys or that survey's history is not one.
bool record_visit(json& visitor, const std::string& survey_id, VisitEvent event, std::int64_t now);
// The same on a VisitorState (through its JSON: one rule).
void record_visit(VisitorState& v, const std::string& survey_id, VisitEvent event, std::int64_t now);
// The visitor as parse_visitor reads it (every field, absent times left out).
[[nodiscard]] json visitor_json(const VisitorState& v);

// {"verdict", "code", "reason", "params", "wait_for"?}; wait_for only with "wait", e.g.
// {"type": "scroll", "scroll_percent": 50}.
[[nodiscard]] json to_json(const Decision& d);
// A trigger as JSON with only the fields its type uses: {"type": "page_load",
// "delay_seconds": 5}, {"type": "event", "event": "x", "count": 2}, ...
[[nodiscard]] json trigger_json(const Trigger& t);

// Sampling: FNV-1a 64-bit over the bytes of survey_id + ":" + visitor_id; the bucket is the
// hash modulo 10 000. A visitor is in a `percent` sample when bucket < round(percent × 100).
// Integer arithmetic only, so every build (native, Wasm) puts a visitor in the same bucket;
// each survey spreads visitors independently.
[[nodiscard]] std::uint32_t sample_bucket(std::string_view visitor_id,
                                          std::string_view survey_id) noexcept; // 0..9999
// percent is clamped to 0..100 (NaN is 0); fractions to 0.01 are honoured.
[[nodiscard]] bool in_sample(double percent, std::string_view visitor_id,
                             std::string_view survey_id) noexcept;

// URL rules, matched on the whole URL string (query and fragment included).
//   exact, contains, starts_with, ends_with: plain text comparison;
//   glob: `*` any run of characters (also none, also across '/'), `?` exactly one character
//         (one UTF-8 code point); the pattern must match the whole URL. No escapes.
// Paths, queries and fragments are case-sensitive. Host names are not: the scheme and host
// of the URL are lowercased before matching, and so are those of a pattern that starts with
// "scheme://". A pattern without a scheme (e.g. contains "Shop.Example/cart") is compared as
// written, so write host names in such patterns in lower case.
[[nodiscard]] bool url_matches(UrlMatch m, std::string_view pattern, std::string_view url) noexcept;

// The daily response cap, as the server applies it: with `stored_today` responses already
// stored for the survey on this (UTC) day, is a new one refused? A cap of 0 means none.
// Updates of a response already stored are never refused.
[[nodiscard]] constexpr bool daily_cap_reached(const Sampling& s, std::uint64_t stored_today) noexcept {
  return s.daily_response_cap > 0 && stored_today >= static_cast<std::uint64_t>(s.daily_response_cap);
}

} // namespace nps
