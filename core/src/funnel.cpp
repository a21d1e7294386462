// The funnel's rates and intervals (nps/funnel.hpp) and its operation funnel.summary.
#include "nps/funnel.hpp"

#include "api_fields.hpp"
#include "nps/stats_math.hpp"

#include <cmath>
#include <set>

namespace nps {

namespace {

constexpr double kZ95 = 1.959963984540054; // the normal quantile at 0.975

std::optional<Rate> rate_of(std::uint64_t part, std::uint64_t base) {
  if (base == 0 || part > base) return std::nullopt;
  return wilson_interval(part, base);
}

FunnelRow row_of(const FunnelCounts& c) {
  FunnelRow r;
  r.counts = c;
  r.base_is_sent = c.sent > 0;
  const std::uint64_t base = r.base_is_sent ? c.sent : c.shown;
  r.response_rate = rate_of(c.answered, base);
  r.dismiss_rate = rate_of(c.dismissed, c.shown);
  if (r.base_is_sent) r.shown_rate = rate_of(c.shown, c.sent);
  if (base == 0)
    r.note = FunnelNote::not_counted;
  else if (!r.response_rate)
    r.note = FunnelNote::answered_exceeds_base;
  return r;
}

ordered_json rate_json(const std::optional<Rate>& r) {
  if (!r) return nullptr;
  return ordered_json{{"value", r->value}, {"low", r->low}, {"high", r->high}};
}

ordered_json row_json(const FunnelRow& r) {
  return ordered_json{{"channel", r.counts.channel},
                      {"sent", r.counts.sent},
                      {"shown", r.counts.shown},
                      {"dismissed", r.counts.dismissed},
                      {"answered", r.counts.answered},
                      {"base", r.base_is_sent ? "sent" : "shown"},
                      {"response_rate", rate_json(r.response_rate)},
                      {"dismiss_rate", rate_json(r.dismiss_rate)},
                      {"shown_rate", rate_json(r.shown_rate)},
                      {"note", to_string(r.note)}};
}

} // namespace

Rate wilson_interval(std::uint64_t successes, std::uint64_t trials) {
  if (trials == 0) return {};
  const double n = static_cast<double>(trials), p = static_cast<double>(successes) / n;
  const double z2 = kZ95 * kZ95, denom = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denom;
  const double half = kZ95 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  return {stats::round_to(p, 6), stats::round_to(std::max(0.0, centre - half), 6),
          stats::round_to(std::min(1.0, centre + half), 6)};
}

const char* to_string(FunnelNote n) noexcept {
  switch (n) {
  case FunnelNote::none: return "";
  case FunnelNote::not_counted: return "not_counted";
  case FunnelNote::answered_exceeds_base: return "answered_exceeds_base";
  }
  return "";
}

Result<Funnel> funnel(const std::vector<FunnelCounts>& channels) {
  Funnel f;
  std::set<std::string> seen;
  FunnelCounts total{"all"};
  for (std::size_t i = 0; i < channels.size(); ++i) {
    const auto& c = channels[i];
    const std::string path = join_path(join_path("channels", i), "channel");
    if (c.channel.empty()) return Error{ErrorCode::empty, path, "a channel needs a name"};
    if (!seen.insert(c.channel).second)
      return Error{ErrorCode::duplicate, path, "the channel \"" + c.channel + "\" is given twice"};
    f.channels.push_back(row_of(c));
    f.answered_all += c.answered;
    if (!f.channels.back().response_rate) continue;
    total.sent += c.sent;
    total.shown += c.shown;
    total.dismissed += c.dismissed;
    total.answered += c.answered;
  }
  // Mixed bases (messages sent and pop-ups shown) add up as "reached": sent where the
  // channel sends, shown otherwise.
  FunnelRow t;
  t.counts = total;
  std::uint64_t reached = 0;
  for (const auto& r : f.channels)
    if (r.response_rate) reached += r.base_is_sent ? r.counts.sent : r.counts.shown;
  t.base_is_sent = total.shown == 0 && total.sent > 0;
  t.response_rate = rate_of(total.answered, reached);
  t.dismiss_rate = rate_of(total.dismissed, total.shown);
  if (!t.response_rate) t.note = FunnelNote::not_counted;
  f.total = t;
  return f;
}

Result<ordered_json> op_funnel_summary(const json& in) {
  if (!in.is_object()) return type_error("", "an object", in);
  Errors errors;
  detail::unknown_fields(in, {"channels"}, errors);
  if (!errors.empty()) return errors;
  if (!in.contains("channels")) return Error{ErrorCode::required, "channels", "required"};
  const json& list = in.at("channels");
  if (!list.is_array()) return type_error("channels", "an array of channels", list);
  if (list.size() > 100) return Error{ErrorCode::too_many, "channels", "at most 100 channels"};
  std::vector<FunnelCounts> counts;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = join_path("channels", i);
    const json& item = list[i];
    if (!item.is_object()) return type_error(path, "an object", item);
    detail::unknown_fields(item, {"channel", "sent", "shown", "dismissed", "answered"}, errors);
    if (!errors.empty()) {
      for (auto& e : errors)
        e.path = join_path(path, e.path);
      return errors;
    }
    FunnelCounts c;
    if (!item.contains("channel")) return Error{ErrorCode::required, join_path(path, "channel"), "required"};
    if (!item.at("channel").is_string())
      return type_error(join_path(path, "channel"), "a string", item.at("channel"));
    c.channel = item.at("channel").get<std::string>();
    for (auto [key, target] : {std::pair{"sent", &c.sent}, std::pair{"shown", &c.shown},
                               std::pair{"dismissed", &c.dismissed}, std::pair{"answered", &c.answered}}) {
      if (!item.contains(key)) {
        if (std::string_view(key) == "sent") continue;
        return Error{ErrorCode::required, join_path(path, key), "required"};
      }
      const json& v = item.at(key);
      const auto n = as_integer(v);
      if (!v.is_number() || !n || *n < 0)
        return Error{ErrorCode::invalid_value, join_path(path, key), "a count is a whole number, 0 or more"};
      *target = static_cast<std::uint64_t>(*n);
    }
    counts.push_back(c);
  }
  auto f = funnel(counts);
  if (!f) return f.errors();
  return to_json(*f);
}

ordered_json to_json(const Funnel& f) {
  ordered_json rows = ordered_json::array();
  for (const auto& r : f.channels)
    rows.push_back(row_json(r));
  return ordered_json{{"channels", rows}, {"total", row_json(f.total)}, {"answered_all", f.answered_all}};
}

} // namespace nps
