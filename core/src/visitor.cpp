// The visitor and the page as the client remembers and describes them: read from JSON
// (every problem with its path, or only whether there is one: reading.hpp), written back
// (visitor_json), and what a survey being shown, answered or dismissed changes in them
// (record_visit), the one rule the loader, the native SDK and the vectors share.
#include "nps/eligibility.hpp"

#include "nps/response.hpp"
#include "reading.hpp"

#include <cmath>
#include <string>

namespace nps {

namespace {

using namespace detail;

// An identified visitor's id and attributes become a response's respondent_id and
// attributes (flow.hpp's FlowStart), so they have a response's caps (ResponseLimits).
constexpr std::size_t max_visitor_id = ResponseLimits::respondent_id;
constexpr std::size_t max_attributes = ResponseLimits::attributes;
constexpr std::size_t max_surveys = 1000;
constexpr std::size_t max_events = 1000;

template <bool D> SurveyHistory read_history(const json& v, const Where& at, Problems<D>& problems) {
  SurveyHistory h;
  if (!v.is_object()) {
    problems.wrong_type(at, "an object", v);
    return h;
  }
  for (const auto& [key, value] : v.items()) {
    const Where here{&at, key};
    if (key == "last_shown")
      h.last_shown = read_time(value, here, problems);
    else if (key == "last_answered")
      h.last_answered = read_time(value, here, problems);
    else if (key == "last_dismissed")
      h.last_dismissed = read_time(value, here, problems);
    else
      problems.add(ErrorCode::unknown_field, here, "not a field of a survey's history");
  }
  return h;
}

bool scalar(const json& v) noexcept { return v.is_string() || v.is_number() || v.is_boolean(); }

template <bool D> json read_visitor_attributes(const json& v, const Where& at, Problems<D>& problems) {
  json out = json::object();
  if (!object_field(v, at, "an object", max_attributes, " attributes", problems)) return out;
  for (const auto& [key, member] : v.items()) {
    const json& value = member; // not a structured binding: GCC takes those for dependent here
    const Where here{&at, key};
    bool good = value.is_null() || scalar(value) || value.is_array();
    if (value.is_array())
      for (const auto& e : value)
        good = good && scalar(e);
    if (!good) {
      problems.wrong_type(here, "a string, number, boolean or an array of them", value);
      continue;
    }
    if (value.is_number_float() && !std::isfinite(value.get<double>())) {
      problems.add(ErrorCode::out_of_range, here, "not a finite number");
      continue;
    }
    if (value.is_string() && !valid_text(value, here, problems)) continue;
    if (!value.is_null()) out[key] = value;
  }
  return out;
}

template <bool D> std::optional<VisitorState> read_visitor(const json& j, Problems<D>& problems) {
  if (!j.is_object()) {
    problems.wrong_type(root, "an object", j);
    return std::nullopt;
  }
  VisitorState v;
  for (const auto& [key, member] : j.items()) {
    const json& value = member;
    const Where here{&root, key};
    if (key == "visitor_id") {
      if (!valid_text(value, here, problems)) continue;
      const auto& s = value.get_ref<const std::string&>();
      if (s.empty())
        problems.add(ErrorCode::empty, here, "must not be empty");
      else if (code_points(s) > max_visitor_id)
        problems.add(ErrorCode::too_long, here, [] {
          return cat({"longer than ", max_visitor_id, " characters"});
        });
      else
        v.visitor_id = s;
    } else if (key == "identified") {
      read_bool(value, here, v.identified, problems);
    } else if (key == "first_seen") {
      v.first_seen = read_time(value, here, problems);
    } else if (key == "last_survey_shown") {
      v.last_survey_shown = read_time(value, here, problems);
    } else if (key == "surveys") {
      if (object_field(value, here, "an object (survey id → history)", max_surveys, " surveys", problems))
        for (const auto& [id, h] : value.items())
          v.surveys.emplace(id, read_history(h, Where{&here, id}, problems)); // ids are unique
    } else if (key == "event_counts") {
      if (object_field(value, here, "an object (event name → count)", max_events, " events", problems))
        for (const auto& [name, n] : value.items())
          if (auto c = read_count(n, Where{&here, name}, problems)) v.event_counts.emplace(name, *c);
    } else if (key == "page_views") {
      if (value.is_null()) continue;
      if (auto c = read_count(value, here, problems)) v.page_views = *c;
    } else if (key == "attributes") {
      if (value.is_null()) continue;
      v.attributes = read_visitor_attributes(value, here, problems);
    } else {
      problems.add(ErrorCode::unknown_field, here, "not a field of a visitor");
    }
  }
  if (!j.contains("visitor_id")) problems.add(ErrorCode::required, Where{&root, "visitor_id"}, "required");
  if (problems.any) return std::nullopt;
  return v;
}

template <bool D> std::optional<PageContext> read_page(const json& j, Problems<D>& problems) {
  if (!j.is_object()) {
    problems.wrong_type(root, "an object", j);
    return std::nullopt;
  }
  PageContext p;
  for (const auto& [key, member] : j.items()) {
    const json& value = member;
    const Where here{&root, key};
    if (key == "url") {
      if (value.is_null()) continue;
      if (!valid_text(value, here, problems)) continue;
      if (value.get_ref<const std::string&>().size() > SurveyLimits::url * 4)
        problems.add(ErrorCode::too_long, here, "a URL this long is not a page address");
      else
        p.url = value.get<std::string>();
    } else if (key == "device") {
      if (value.is_null()) continue;
      if (!value.is_string())
        problems.wrong_type(here, "a string", value);
      else if (auto d = device_from_string(value.get_ref<const std::string&>()))
        p.device = to_string(*d);
      else
        problems.add(ErrorCode::invalid_value, here, "one of desktop, mobile, tablet");
    } else if (key == "now") {
      if (auto t = read_time(value, here, problems))
        p.now = *t;
      else if (value.is_null())
        problems.add(ErrorCode::required, here, "required");
    } else if (key == "forced") {
      read_bool(value, here, p.forced, problems);
    } else {
      problems.add(ErrorCode::unknown_field, here, "not a field of a page");
    }
  }
  if (!j.contains("now")) problems.add(ErrorCode::required, Where{&root, "now"}, "required");
  if (problems.any) return std::nullopt;
  return p;
}

} // namespace

Result<VisitorState> parse_visitor(const json& j) {
  return detailed<VisitorState>(j, [](const json& v, Problems<true>& p) { return read_visitor(v, p); });
}

Result<PageContext> parse_page(const json& j) {
  return detailed<PageContext>(j, [](const json& v, Problems<true>& p) { return read_page(v, p); });
}

std::optional<VisitorState> read_valid_visitor(const json& j) {
  Problems<false> problems;
  return read_visitor(j, problems);
}

std::optional<PageContext> read_valid_page(const json& j) {
  Problems<false> problems;
  return read_page(j, problems);
}

std::optional<VisitEvent> visit_event_from_string(std::string_view s) noexcept {
  if (s == "shown") return VisitEvent::shown;
  if (s == "answered") return VisitEvent::answered;
  if (s == "dismissed") return VisitEvent::dismissed;
  return std::nullopt;
}

// The rule, on the visitor as JSON (the form the loader keeps and the native SDK persists):
// nothing else in it is read or changed.
bool record_visit(json& visitor, const std::string& survey_id, VisitEvent event, std::int64_t now) {
  if (!visitor.is_object()) return false;
  json& surveys = visitor["surveys"];
  if (surveys.is_null()) surveys = json::object();
  if (!surveys.is_object()) return false;
  json& h = surveys[survey_id];
  if (h.is_null()) h = json::object();
  if (!h.is_object()) return false;
  switch (event) {
  case VisitEvent::shown:
    h["last_shown"] = now;
    visitor["last_survey_shown"] = now; // for every survey's global cooldown
    break;
  case VisitEvent::answered: h["last_answered"] = now; break;
  case VisitEvent::dismissed: h["last_dismissed"] = now; break;
  }
  return true;
}

void record_visit(VisitorState& v, const std::string& survey_id, VisitEvent event, std::int64_t now) {
  json j = visitor_json(v);
  record_visit(j, survey_id, event, now);
  if (auto read = read_valid_visitor(j)) v = std::move(*read);
}

json visitor_json(const VisitorState& v) {
  json j = json::object();
  j["visitor_id"] = v.visitor_id;
  j["identified"] = v.identified;
  if (v.first_seen) j["first_seen"] = *v.first_seen;
  json surveys = json::object();
  for (const auto& [id, h] : v.surveys) {
    json s = json::object();
    if (h.last_shown) s["last_shown"] = *h.last_shown;
    if (h.last_answered) s["last_answered"] = *h.last_answered;
    if (h.last_dismissed) s["last_dismissed"] = *h.last_dismissed;
    surveys[id] = s;
  }
  j["surveys"] = surveys;
  if (v.last_survey_shown) j["last_survey_shown"] = *v.last_survey_shown;
  json events = json::object();
  for (const auto& [name, n] : v.event_counts)
    events[name] = n;
  j["event_counts"] = events;
  j["page_views"] = v.page_views;
  j["attributes"] = v.attributes;
  return j;
}

} // namespace nps
