#include "visitor_api.hpp"

#include "nps/eligibility.hpp"
#include "nps/survey.hpp"
#include "reading.hpp"

namespace nps {

template <bool Detailed> Result<std::string> op_visitor_record(const json& in) {
  if (!in.is_object())
    return type_error("", "an object with \"visitor\", \"survey\", \"event\", \"now\"", in);
  Errors errors;
  for (const auto& [key, value] : in.items())
    if (key != "visitor" && key != "survey" && key != "event" && key != "now")
      errors.push_back(Error{ErrorCode::unknown_field, key, "not a field of visitor.record"});
  for (const char* key : {"visitor", "survey", "event", "now"})
    if (!in.contains(key)) errors.push_back(Error{ErrorCode::required, key, "required"});
  if (!errors.empty()) return errors;

  json visitor = in.at("visitor");
  if constexpr (Detailed) {
    if (auto read = parse_visitor(visitor); !read) append_prefixed(errors, read.errors(), "visitor");
  } else if (!visitor.is_object()) {
    // The browser's flow module checks only what it changes: the visitor the loader keeps
    // was read whole by the eligibility module before the survey was shown.
    errors.push_back(type_error("visitor", "an object", visitor));
  }
  const json& survey = in.at("survey");
  if (!survey.is_string())
    errors.push_back(type_error("survey", "a survey id", survey));
  else if (const auto& id = survey.get_ref<const std::string&>();
           id.empty() || id.size() > SurveyLimits::id || !detail::id_chars(id, "_-"))
    // A survey id as parse_survey reads one (survey_reader.hpp), with the same words.
    errors.push_back(Error{ErrorCode::invalid_format, "survey", "1 to 64 of the characters A-Z a-z 0-9 _ -"});
  const json& event = in.at("event");
  const auto e =
      event.is_string() ? visit_event_from_string(event.get_ref<const std::string&>()) : std::nullopt;
  if (!e) errors.push_back(Error{ErrorCode::invalid_value, "event", "one of shown, answered, dismissed"});
  const json& now = in.at("now");
  const auto t = as_integer(now);
  if (!now.is_number() || !t || *t < 0)
    errors.push_back(Error{ErrorCode::out_of_range, "now", "milliseconds since 1970, 0 or more"});
  if (!errors.empty()) return errors;

  if (!record_visit(visitor, survey.get_ref<const std::string&>(), *e, *t))
    return Error{ErrorCode::invalid_type, "visitor.surveys", "an object of objects (survey id → history)"};
  return "{\"visitor\":" + dump(visitor) + "}";
}

template Result<std::string> op_visitor_record<true>(const json&);
template Result<std::string> op_visitor_record<false>(const json&);

} // namespace nps
