// The respondent's session as JSON (nps/flow.hpp): the state the renderers hand back with
// every event, read strictly; the events and the start of a session.
#include "flow_names.hpp"
#include "nps/flow.hpp"
#include "nps/locale.hpp"
#include "nps/text.hpp"

namespace nps {

json to_json(const FlowState& s) {
  json j = {{"step", to_string(s.step)},      {"question", s.question}, {"history", s.history},
            {"dismissed", s.dismissed},       {"sent", s.sent},         {"locale", s.locale},
            {"response", to_json(s.response)}};
  if (s.announcement) j["announcement"] = *s.announcement;
  return j;
}

Result<FlowState> parse_flow_state(const json& j) {
  if (!j.is_object()) return type_error("", "a flow state object", j);
  FlowState s;
  Errors errors;
  const auto need = [&](const char* key) -> const json* {
    auto it = j.find(key);
    if (it == j.end()) {
      errors.push_back(Error{ErrorCode::required, key, "required"});
      return nullptr;
    }
    return &*it;
  };
  if (const json* v = need("step")) {
    auto st = v->is_string() ? step_from_string(v->get_ref<const std::string&>()) : std::nullopt;
    if (st)
      s.step = *st;
    else
      errors.push_back(
          Error{ErrorCode::invalid_value, "step", "one of score, followup, question, thanks, closed"});
  }
  if (const json* v = need("question")) {
    if (auto i = as_integer(*v); v->is_number() && i && *i >= -1 && *i < 64)
      s.question = static_cast<int>(*i);
    else
      errors.push_back(Error{ErrorCode::invalid_value, "question", "a question index"});
  }
  if (const json* v = need("history")) {
    if (!v->is_array() || v->size() > 64) {
      errors.push_back(type_error("history", "an array of step indices", *v));
    } else {
      for (std::size_t i = 0; i < v->size(); ++i) {
        auto k = as_integer((*v)[i]);
        if (!(*v)[i].is_number() || !k || *k < history_score || *k >= 64)
          errors.push_back(Error{ErrorCode::invalid_value, join_path("history", i), "a step index"});
        else
          s.history.push_back(static_cast<int>(*k));
      }
    }
  }
  for (auto [key, target] : {std::pair{"dismissed", &s.dismissed}, std::pair{"sent", &s.sent}}) {
    if (const json* v = need(key)) {
      if (v->is_boolean())
        *target = v->get<bool>();
      else
        errors.push_back(type_error(key, "true or false", *v));
    }
  }
  if (const json* v = need("locale")) {
    auto l = v->is_string() ? canonical_locale(v->get_ref<const std::string&>(), "locale")
                            : Result<std::string>(type_error("locale", "a language tag", *v));
    if (l)
      s.locale = *l;
    else
      errors.push_back(l.error());
  }
  if (const json* v = need("response")) {
    auto r = parse_response(*v);
    if (r)
      s.response = std::move(r).value();
    else
      for (auto e : r.errors()) {
        e.path = nest_path("response", e.path);
        errors.push_back(std::move(e));
      }
  }
  if (auto it = j.find("announcement"); it != j.end() && it->is_string())
    s.announcement = it->get<std::string>();
  if (!errors.empty()) return errors;
  return s;
}

FlowState read_normalized_flow_state(const json& j) {
  const auto text = [](const json& o, std::string_view key) -> std::optional<std::string> {
    const json& v = member_or_null(o, key);
    if (!v.is_string()) return std::nullopt;
    return v.get<std::string>();
  };
  const auto integer = [](const json& o, std::string_view key) { return as_integer(member_or_null(o, key)); };
  const auto flag = [](const json& o, std::string_view key) {
    const json& v = member_or_null(o, key);
    return v.is_boolean() && v.get<bool>();
  };
  FlowState s;
  if (auto step = text(j, "step")) s.step = step_from_string(*step).value_or(s.step);
  s.question = static_cast<int>(integer(j, "question").value_or(s.question));
  if (const json& h = member_or_null(j, "history"); h.is_array())
    for (const auto& e : h)
      s.history.push_back(static_cast<int>(as_integer(e).value_or(history_score)));
  s.dismissed = flag(j, "dismissed");
  s.sent = flag(j, "sent");
  s.locale = text(j, "locale").value_or("");
  s.announcement = text(j, "announcement");
  const json& r = member_or_null(j, "response");
  Response& out = s.response;
  out.survey_id = text(r, "survey_id").value_or("");
  if (auto score = Score::from_int(integer(r, "score").value_or(0))) out.score = *score;
  out.comment = text(r, "comment");
  if (const json& a = member_or_null(r, "answers"); a.is_object()) out.answers = a;
  out.channel = channel_from_string(text(r, "channel").value_or("")).value_or(out.channel);
  out.locale = text(r, "locale");
  out.respondent_id = text(r, "respondent_id");
  if (const json& a = member_or_null(r, "attributes"); a.is_object()) out.attributes = a;
  out.client_time = integer(r, "client_time");
  out.page = text(r, "page");
  if (auto d = text(r, "device")) out.device = device_from_string(*d);
  out.idempotency_key = text(r, "idempotency_key").value_or("");
  return s;
}

Result<FlowEvent> parse_flow_event(const json& j) {
  if (!j.is_object()) return type_error("", "an event object", j);
  auto it = j.find("type");
  if (it == j.end()) return Error{ErrorCode::required, "type", "required"};
  auto type = it->is_string() ? event_from_string(it->get_ref<const std::string&>()) : std::nullopt;
  if (!type)
    return Error{ErrorCode::invalid_value, "type", "one of choose_score, answer, skip, back, dismiss, close"};
  FlowEvent e;
  e.type = *type;
  if (auto v = j.find("value"); v != j.end()) e.value = *v;
  return e;
}

Result<FlowStart> parse_flow_start(const json& j) {
  if (!j.is_object()) return type_error("", "an object", j);
  FlowStart s;
  Errors errors;
  json as_response = json::object();
  for (const auto& [key, v] : j.items()) {
    if (key == "languages") {
      if (!v.is_array()) {
        errors.push_back(type_error(key, "an array of language tags", v));
        continue;
      }
      for (const auto& tag : v)
        if (tag.is_string())
          s.languages.push_back(tag.get<std::string>()); // malformed tags are skipped later
    } else if (key == "idempotency_key" || key == "channel" || key == "respondent_id" ||
               key == "attributes" || key == "page" || key == "device" || key == "client_time") {
      as_response[key] = v;
    } else {
      errors.push_back(Error{ErrorCode::unknown_field, key, "not a field of a flow start"});
    }
  }
  // The respondent context is validated by the response rules, so it can never be refused later.
  as_response["survey_id"] = "x";
  as_response["score"] = 0;
  auto r = parse_response(as_response);
  if (!r) errors.insert(errors.end(), r.errors().begin(), r.errors().end());
  if (!errors.empty()) return errors;
  s.idempotency_key = r->idempotency_key;
  s.channel = r->channel;
  s.respondent_id = r->respondent_id;
  s.attributes = r->attributes;
  s.page = r->page;
  s.device = r->device;
  s.client_time = r->client_time;
  return s;
}

} // namespace nps
