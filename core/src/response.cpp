#include "nps/response.hpp"

#include "nps/locale.hpp"
#include "nps/text.hpp"
#include "reading.hpp"

#include <cmath>

namespace nps {

std::string_view to_string(Channel c) noexcept {
  switch (c) {
  case Channel::web: return "web";
  case Channel::app: return "app";
  case Channel::email: return "email";
  case Channel::link: return "link";
  case Channel::sms: return "sms";
  case Channel::import: return "import";
  case Channel::api: return "api";
  }
  return "api";
}

std::optional<Channel> channel_from_string(std::string_view s) noexcept {
  for (Channel c : {Channel::web, Channel::app, Channel::email, Channel::link, Channel::sms, Channel::import,
                    Channel::api})
    if (to_string(c) == s) return c;
  return std::nullopt;
}

std::string_view to_string(Device d) noexcept {
  switch (d) {
  case Device::desktop: return "desktop";
  case Device::mobile: return "mobile";
  case Device::tablet: return "tablet";
  }
  return "desktop";
}

std::optional<Device> device_from_string(std::string_view s) noexcept {
  for (Device d : {Device::desktop, Device::mobile, Device::tablet})
    if (to_string(d) == s) return d;
  return std::nullopt;
}

namespace {

using L = ResponseLimits;

using Found = detail::Problems<true>; // a response is always read with every problem's words
using detail::Where;

std::optional<std::string> read_id(const json& v, const Where& at, std::size_t min, std::size_t max,
                                   std::string_view punct, std::string_view what, Found& problems) {
  if (!v.is_string()) {
    problems.wrong_type(at, "a string", v);
    return std::nullopt;
  }
  const auto& s = v.get_ref<const std::string&>();
  if (s.empty()) {
    problems.add(ErrorCode::empty, at, "must not be empty");
    return std::nullopt;
  }
  if (s.size() < min || s.size() > max || !detail::id_chars(s, punct)) {
    problems.add(ErrorCode::invalid_format, at, [&] {
      return std::string(what) + ": " + std::to_string(min) + " to " + std::to_string(max) +
             " of the characters A-Z a-z 0-9 " + std::string(punct);
    });
    return std::nullopt;
  }
  return s;
}

json read_attributes(const json& v, const Where& at, Found& problems) {
  json out = json::object();
  if (!detail::object_field(v, at, "an object", L::attributes, " attributes", problems)) return out;
  for (const auto& [key, value] : v.items()) {
    const Where here{&at, key};
    if (key.empty() || key.size() > L::attribute_key || !detail::id_chars(key, "_.-")) {
      problems.add(ErrorCode::invalid_format, here,
                   "attribute names are 1 to 64 of the characters A-Z a-z 0-9 _ . -");
      continue;
    }
    if (value.is_boolean()) {
      out[key] = value;
    } else if (value.is_number()) {
      if (value.is_number_float() && !std::isfinite(value.get<double>())) {
        problems.add(ErrorCode::out_of_range, here, "not a finite number");
        continue;
      }
      out[key] = value;
    } else if (value.is_string()) {
      if (auto text = detail::read_text(value, here, L::attribute_value, problems)) out[key] = *text;
    } else {
      problems.wrong_type(here, "a string, number or boolean", value);
    }
  }
  return out;
}

json read_answers(const json& v, const Where& at, Found& problems) {
  json out = json::object();
  if (!detail::object_field(v, at, "an object", L::answers, " answers", problems)) return out;
  for (const auto& [key, value] : v.items()) {
    const Where here{&at, key};
    if (key.empty() || key.size() > L::id || !detail::id_chars(key, "_-")) {
      problems.add(ErrorCode::invalid_format, here,
                   "question ids are 1 to 64 of the characters A-Z a-z 0-9 _ -");
      continue;
    }
    if (value.is_number()) {
      if (!as_integer(value)) {
        problems.add(ErrorCode::not_integer, here, "a rating is a whole number");
        continue;
      }
      out[key] = *as_integer(value);
    } else if (value.is_string()) {
      if (auto text = detail::read_text(value, here, L::answer_text, problems)) {
        if (!text->empty()) out[key] = *text;
      }
    } else if (value.is_array()) {
      if (value.size() > L::answer_choices) {
        problems.add(ErrorCode::too_many, here, "more than 20 choices");
        continue;
      }
      json choices = json::array();
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string path = join_path(here.path(), i);
        if (auto text = detail::read_text(value[i], Where{nullptr, path}, L::attribute_value, problems))
          choices.push_back(*text);
      }
      out[key] = choices;
    } else {
      problems.wrong_type(here, "a string, a whole number or an array of strings", value);
    }
  }
  return out;
}

} // namespace

Result<Score> score_from_json(const json& v, std::string_view path) {
  if (v.is_string()) return Score::parse(v.get_ref<const std::string&>(), path);
  if (!v.is_number()) return type_error(path, "a whole number from 0 to 10", v);
  if (v.is_number_float()) return Score::from_double(v.get<double>(), path);
  const auto i = as_integer(v);
  return Score::from_int(i ? *i : -1, path); // an integer too large for int64 is out of range too
}

Result<Response> parse_response(const json& j) {
  if (!j.is_object()) return type_error("", "an object", j);
  Found problems;
  Response r;
  bool have_score = false, have_survey = false, have_key = false;

  for (const auto& [key, v] : j.items()) {
    const Where here{&detail::root, key};
    if (key == "survey_id") {
      if (auto s = read_id(v, here, 1, L::id, "_-", "a survey id is", problems)) {
        r.survey_id = *s;
        have_survey = true;
      }
    } else if (key == "score") {
      // A response carries the score as a JSON number; "9" as text is a client bug.
      Result<Score> s = v.is_string() ? Result<Score>(type_error(key, "a whole number from 0 to 10", v))
                                      : score_from_json(v, key);
      if (s.ok()) {
        r.score = *s;
        have_score = true;
      } else {
        problems.add(s.error());
      }
    } else if (key == "comment") {
      if (v.is_null()) continue;
      if (auto t = detail::read_text(v, here, L::comment, problems); t && !t->empty()) r.comment = *t;
    } else if (key == "answers") {
      r.answers = read_answers(v, here, problems);
    } else if (key == "channel") {
      if (!v.is_string()) {
        problems.wrong_type(here, "a string", v);
      } else if (auto c = channel_from_string(v.get_ref<const std::string&>())) {
        r.channel = *c;
      } else {
        problems.add(ErrorCode::invalid_value, here, "one of web, app, email, link, sms, import, api");
      }
    } else if (key == "locale") {
      if (v.is_null()) continue;
      if (!v.is_string()) {
        problems.wrong_type(here, "a string", v);
      } else if (auto l = canonical_locale(v.get_ref<const std::string&>(), key)) {
        r.locale = *l;
      } else {
        problems.add(l.error());
      }
    } else if (key == "respondent_id") {
      if (v.is_null()) continue;
      if (auto t = detail::read_text(v, here, L::respondent_id, problems); t && !t->empty())
        r.respondent_id = *t;
    } else if (key == "attributes") {
      r.attributes = read_attributes(v, here, problems);
    } else if (key == "client_time") {
      if (v.is_null()) continue;
      const auto t = as_integer(v);
      if (!v.is_number()) {
        problems.wrong_type(here, "milliseconds since 1970 as a number", v);
      } else if (!t || *t < L::time_min || *t >= L::time_max) {
        problems.add(ErrorCode::out_of_range, here,
                     "milliseconds since 1970, between the years 2000 and 2100");
      } else {
        r.client_time = *t;
      }
    } else if (key == "page") {
      if (v.is_null()) continue;
      if (auto t = detail::read_text(v, here, L::page, problems); t && !t->empty()) r.page = *t;
    } else if (key == "device") {
      if (v.is_null()) continue;
      if (!v.is_string()) {
        problems.wrong_type(here, "a string", v);
      } else if (auto d = device_from_string(v.get_ref<const std::string&>())) {
        r.device = *d;
      } else {
        problems.add(ErrorCode::invalid_value, here, "one of desktop, mobile, tablet");
      }
    } else if (key == "idempotency_key") {
      if (auto s = read_id(v, here, L::idempotency_min, L::idempotency_max, "_.:-", "an idempotency key is",
                           problems)) {
        r.idempotency_key = *s;
        have_key = true;
      }
    } else {
      problems.add(ErrorCode::unknown_field, here, "not a field of a response");
    }
  }
  // Missing required fields are reported only when the field is absent, not when it was
  // present and already reported as malformed.
  for (const auto& [field, have] : {std::pair{"survey_id", have_survey}, std::pair{"score", have_score},
                                    std::pair{"idempotency_key", have_key}})
    if (!have && !j.contains(field))
      problems.add(ErrorCode::required, Where{&detail::root, field}, "required");
  if (problems.any) return std::move(problems.list);
  return r;
}

json to_json(const Response& r) {
  json j = json::object();
  j["survey_id"] = r.survey_id;
  j["score"] = r.score.value();
  if (r.comment) j["comment"] = *r.comment;
  if (!r.answers.empty()) j["answers"] = r.answers;
  j["channel"] = std::string(to_string(r.channel));
  if (r.locale) j["locale"] = *r.locale;
  if (r.respondent_id) j["respondent_id"] = *r.respondent_id;
  if (!r.attributes.empty()) j["attributes"] = r.attributes;
  if (r.client_time) j["client_time"] = *r.client_time;
  if (r.page) j["page"] = *r.page;
  if (r.device) j["device"] = std::string(to_string(*r.device));
  j["idempotency_key"] = r.idempotency_key;
  return j;
}

} // namespace nps
