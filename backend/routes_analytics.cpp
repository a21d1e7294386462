// Admin: analytics from the tallies: summary, trend by day/week/month with significance
// of each change, breakdown by segment (channel, locale, device from the day tallies;
// page and attribute:KEY from the page and attribute tallies, also with one segment filter,
// or the rows when only they can answer exactly).
#include "server_internal.hpp"

#include "dates.hpp"
#include "nps/api.hpp"
#include "nps/score.hpp"
#include "nps/tally.hpp"
#include "nps/trend.hpp"

#include <map>

namespace npsd {

namespace {

// The core's summary of a tally (tally.summary's output, nps/api.hpp): the same object the
// vectors check, null figures for an empty tally.
json summary_json(const nps::Tally& t) { return json(nps::tally_summary_json(t)); }

// The category of each score 0..10, as the core classifies it, so a chart colours the
// distribution without a copy of the rule.
const json& score_categories() {
  static const json categories = [] {
    json a = json::array();
    for (int s = nps::Score::min; s <= nps::Score::max; ++s)
      a.push_back(std::string(nps::to_string(nps::classify(nps::Score::from_int(s).value()))));
    return a;
  }();
  return categories;
}

json comparison_json(const nps::Tally& a, const nps::Tally& b) {
  auto c = nps::compare(a, b);
  if (!c) return nullptr;
  return {{"difference", c->difference},
          {"z", c->z},
          {"p", c->p},
          {"significant", c->significant},
          {"small_sample", c->small_sample}};
}

// The tally query of an analytics request: range and segment filters (channel, locale, device).
// The segments were read strictly (read_segments) before the range is queried.
TallyQuery tally_query(const Ctx& c, const DayRange& range, TallyGroup group) {
  TallyQuery q;
  q.survey_id = c.params.at(0);
  q.from_day = range.from;
  q.to_day = range.to;
  q.group = group;
  std::vector<ApiError> refused; // none: the route has sent its 400 otherwise
  const Segments seg = query_segments(c, refused);
  q.channel = seg.channel;
  q.locale = seg.locale;
  q.device = seg.device;
  return q;
}

} // namespace

std::optional<DayRange> read_range(Ctx& c, Millis now) {
  DayRange r{0, day_of(now)};
  std::vector<ApiError> errors;
  if (c.req.has_param("from")) {
    if (auto d = parse_date(c.req.get_param_value("from")))
      r.from = *d;
    else
      errors.push_back({ApiCode::invalid_format, "from", "a date YYYY-MM-DD"});
  }
  if (c.req.has_param("to")) {
    if (auto d = parse_date(c.req.get_param_value("to")))
      r.to = *d;
    else
      errors.push_back({ApiCode::invalid_format, "to", "a date YYYY-MM-DD"});
  }
  if (!errors.empty()) {
    send_errors(c.res, errors);
    return std::nullopt;
  }
  return r;
}

void Server::analytics_routes() {
  auto survey_exists = [this](Ctx& c) {
    if (live(c.params[0])) return true;
    send_error(c.res, ApiCode::not_found, "", "no survey " + c.params[0]);
    return false;
  };

  route("GET", "/v1/admin/surveys/{id}/summary", Access::viewer, [this, survey_exists](Ctx& c) {
    if (!survey_exists(c)) return;
    auto range = read_range(c, config_.clock());
    if (!range || !read_segments(c)) return;
    nps::Tally t;
    for (const auto& row : storage_->tally_groups(tally_query(c, *range, TallyGroup::all)))
      t.merge(row.tally);
    json j = summary_json(t);
    j["categories"] = score_categories();
    j["survey_id"] = c.params[0];
    j["from"] = date_text(range->from);
    j["to"] = date_text(range->to);
    // compare=previous (issue 19): the period of the same length just before, and the core's
    // two-sample test of this period against it.
    if (c.req.has_param("compare")) {
      if (c.req.get_param_value("compare") != "previous")
        return send_error(c.res, ApiCode::invalid_value, "compare", "previous");
      if (!c.req.has_param("from"))
        return send_error(c.res, ApiCode::required, "from", "compare=previous needs a start date (from)");
      const std::int32_t days = range->to - range->from + 1;
      if (days < 1) return send_error(c.res, ApiCode::invalid_value, "to", "on or after from");
      const DayRange before{range->from - days, range->from - 1};
      nps::Tally p;
      for (const auto& row : storage_->tally_groups(tally_query(c, before, TallyGroup::all)))
        p.merge(row.tally);
      j["previous"] = summary_json(p);
      j["previous"]["from"] = date_text(before.from);
      j["previous"]["to"] = date_text(before.to);
      j["change"] = comparison_json(t, p); // null when either period has no answers
    }
    send_json(c.res, 200, j);
  });

  route("GET", "/v1/admin/surveys/{id}/trend", Access::viewer, [this, survey_exists](Ctx& c) {
    if (!survey_exists(c)) return;
    auto range = read_range(c, config_.clock());
    if (!range || !read_segments(c)) return;
    const auto interval = c.req.has_param("interval") ? c.req.get_param_value("interval") : "week";
    std::function<std::int32_t(std::int32_t)> bucket_start;
    if (interval == "day")
      bucket_start = [](std::int32_t d) { return d; };
    else if (interval == "week")
      bucket_start = [](std::int32_t d) { return d - ((d % 7 + 7 + 3) % 7); }; // Mondays
    else if (interval == "month")
      bucket_start = [](std::int32_t d) {
        const auto cv = civil_from_days(d);
        return days_from_civil(cv.y, cv.m, 1);
      };
    else
      return send_error(c.res, ApiCode::invalid_value, "interval", "day, week or month");
    std::map<std::int32_t, nps::Tally> buckets;
    for (const auto& row : storage_->tally_groups(tally_query(c, *range, TallyGroup::day)))
      buckets[bucket_start(row.day)].merge(row.tally);
    json out = json::array();
    const nps::Tally* previous = nullptr;
    for (const auto& [start, t] : buckets) {
      json b = summary_json(t);
      b["start"] = date_text(start);
      // The change against the previous bucket that had answers, and whether it is real.
      b["change"] = previous ? comparison_json(t, *previous) : json(nullptr);
      out.push_back(std::move(b));
      previous = &t;
    }
    // The longer trend (issue 19): the core's test over every period of the range, a period
    // without answers kept as an empty one so the spacing stays true.
    std::vector<nps::Tally> periods;
    std::optional<std::int32_t> before;
    const auto steps = [&](std::int32_t a, std::int32_t b) -> std::int32_t {
      if (interval == "day") return b - a;
      if (interval == "week") return (b - a) / 7;
      const auto ca = civil_from_days(a), cb = civil_from_days(b);
      return static_cast<std::int32_t>((cb.y - ca.y) * 12 +
                                       (static_cast<int>(cb.m) - static_cast<int>(ca.m)));
    };
    for (const auto& [start, t] : buckets) {
      if (before)
        for (std::int32_t gap = steps(*before, start); gap > 1; --gap)
          periods.emplace_back();
      periods.push_back(t);
      before = start;
    }
    json overall = nullptr;
    if (auto tr = nps::trend_test(periods)) {
      const auto& fl = tr->first_vs_last;
      overall = {{"periods", tr->periods},
                 {"n", tr->n},
                 {"slope", tr->slope},
                 {"start", tr->start},
                 {"change", tr->change},
                 {"z", tr->z},
                 {"p", tr->p},
                 {"significant", tr->significant},
                 {"small_sample", tr->small_sample},
                 {"first_vs_last",
                  {{"difference", fl.difference},
                   {"p", fl.p},
                   {"significant", fl.significant},
                   {"small_sample", fl.small_sample}}}};
    }
    send_json(c.res, 200,
              {{"survey_id", c.params[0]},
               {"interval", interval},
               {"from", date_text(range->from)},
               {"to", date_text(range->to)},
               {"buckets", out},
               {"overall", overall}});
  });

  route("GET", "/v1/admin/surveys/{id}/breakdown", Access::viewer, [this, survey_exists](Ctx& c) {
    if (!survey_exists(c)) return;
    auto range = read_range(c, config_.clock());
    if (!range || !read_segments(c)) return;
    const auto by = c.req.has_param("by") ? c.req.get_param_value("by") : "channel";
    // channel, locale and device come from the day tallies; page and attribute:KEY from their
    // own tallies (dim_tallies.hpp) or, when those cannot answer exactly, the rows.
    const bool by_attribute = by.rfind("attribute:", 0) == 0;
    if (by != "channel" && by != "locale" && by != "device" && by != "page" && !by_attribute)
      return send_error(c.res, ApiCode::invalid_value, "by",
                        "channel, locale, device, page or attribute:KEY");
    std::optional<std::string> attribute;
    if (by_attribute) {
      attribute = by.substr(10);
      if (attribute->empty() || attribute->size() > 64 ||
          attribute->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
              std::string::npos)
        return send_error(c.res, ApiCode::invalid_format, "by",
                          "attribute:KEY, the key with letters, digits, _ . - only");
    }
    // A viewer sees counts, never personal data: no grouping by a personal attribute (its
    // values are e-mails, phones, names), and pages without their query strings.
    const bool viewer = c.token->role < Role::analyst;
    const auto survey = live(c.params[0]);
    const nps::Privacy privacy = survey ? survey->privacy : nps::Privacy{};
    if (viewer && attribute && nps::is_personal_attribute(privacy, *attribute))
      return send_error(c.res, ApiCode::forbidden, "by",
                        "\"" + *attribute + "\" is personal data; grouping by it needs the analyst role");
    std::map<std::string, nps::Tally> segments;
    nps::Tally total;
    std::vector<TallyGroupRow> rows;
    const char* source = "tallies";
    std::vector<ApiError> refused; // none: read_segments above sent the 400 otherwise
    const Segments seg = query_segments(c, refused);
    std::optional<std::vector<TallyGroupRow>> from_tallies;
    // The page and attribute tallies, per day and per day and segment (one filter at most).
    if (by == "page" || by_attribute)
      from_tallies = storage_->dim_groups(c.params[0], range->from, range->to, attribute,
                                          DimSegment{seg.channel, seg.device, seg.locale});
    if (from_tallies) {
      rows = std::move(*from_tallies);
    } else if (by == "page" || by_attribute) {
      // A value or locale beyond the tallies' bounds in the range, or two segment filters at
      // once: the rows answer.
      source = "rows";
      ResponseFilter f;
      f.survey_id = c.params[0];
      f.from = static_cast<Millis>(range->from) * 86'400'000;
      f.to = static_cast<Millis>(range->to + 1) * 86'400'000;
      f.channel = seg.channel;
      f.locale = seg.locale;
      f.device = seg.device;
      rows = storage_->score_groups(f, attribute);
    } else {
      const auto group = by == "channel"  ? TallyGroup::channel
                         : by == "locale" ? TallyGroup::locale
                                          : TallyGroup::device;
      rows = storage_->tally_groups(tally_query(c, *range, group));
    }
    for (const auto& row : rows) {
      const bool strip = viewer && by == "page";
      segments[strip ? std::string(nps::without_query(row.key)) : row.key].merge(row.tally);
      total.merge(row.tally);
    }
    json out = json::array();
    for (const auto& [key, t] : segments) {
      nps::Tally rest;
      for (const auto& [other, o] : segments)
        if (other != key) rest.merge(o);
      json s = summary_json(t);
      s["value"] = key.empty() ? json(nullptr) : json(key);
      s["vs_rest"] = comparison_json(t, rest); // null when there is no rest
      out.push_back(std::move(s));
    }
    send_json(c.res, 200,
              {{"survey_id", c.params[0]},
               {"by", by},
               {"from", date_text(range->from)},
               {"to", date_text(range->to)},
               {"total", summary_json(total)},
               {"source", source}, // where the counts were read: "tallies" or "rows"
               {"segments", out}});
  });
}

} // namespace npsd
