#include "nps/api.hpp"

#include "api_fields.hpp"
#include "i18n_api.hpp"
#include "nps/eligibility.hpp"
#include "nps/flow.hpp"
#include "nps/funnel.hpp"
#include "nps/i18n.hpp"
#include "nps/insights_api.hpp"
#include "nps/locale.hpp"
#include "nps/privacy.hpp"
#include "nps/response.hpp"
#include "nps/score.hpp"
#include "nps/score_list.hpp"
#include "nps/survey.hpp"
#include "nps/survey_texts.hpp"
#include "nps/themes_api.hpp"
#include "nps/trend.hpp"
#include "reply_api.hpp"
#include "tally_json.hpp"
#include "visitor_api.hpp"

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nps {

namespace {

using detail::counts_json;     // tally_json.hpp
using detail::require_strings; // api_fields.hpp
using detail::string_array;
using detail::unknown_fields;
using Op = std::function<Result<ordered_json>(const json&)>;

Result<Tally> tally_from_counts(const json& j, const std::string& path) {
  if (!j.is_array()) return type_error(path, "an array of 11 counts (scores 0 to 10)", j);
  if (j.size() != 11)
    return Error{ErrorCode::invalid_value, path, "needs exactly 11 counts, one per score 0 to 10"};
  Tally t;
  for (int s = 0; s <= 10; ++s) {
    const auto c = as_integer(j[static_cast<std::size_t>(s)]);
    if (!j[static_cast<std::size_t>(s)].is_number() || !c || *c < 0)
      return Error{ErrorCode::invalid_value, join_path(path, static_cast<std::size_t>(s)),
                   "a count is a whole number, 0 or more"};
    t.add(*Score::from_int(s), static_cast<std::uint64_t>(*c));
  }
  return t;
}

// Errors of a nested record, with its field name in front of their paths.
template <class T> Errors under(std::string_view prefix, const Result<T>& r) {
  Errors errors;
  append_prefixed(errors, r.errors(), prefix);
  return errors;
}

// Reads the survey at "survey" of an operation's input, with error paths under it.
Result<Survey> survey_field(const json& in) {
  if (!in.is_object() || !in.contains("survey")) return Error{ErrorCode::required, "survey", "required"};
  auto s = parse_survey(in.at("survey"));
  if (s) return s;
  return under("survey", s);
}

// The same, in the browser's flow module: the survey as npsd serves it, already validated
// and normalised (read_normalized_survey), so the validator is not shipped to visitors.
Result<Survey> served_survey_field(const json& in) {
  if (!in.is_object() || !in.contains("survey")) return Error{ErrorCode::required, "survey", "required"};
  return read_normalized_survey(in.at("survey"), false);
}
using SurveyField = Result<Survey> (*)(const json&);

// The state a flow.apply continues from: validated, or (flow module) read back as the
// module wrote it.
Result<FlowState> state_field(const json& in) {
  auto state = parse_flow_state(in.value("state", json()));
  if (state) return state;
  return under("state", state);
}
Result<FlowState> served_state_field(const json& in) {
  return read_normalized_flow_state(in.value("state", json()));
}

json send_name(SendMode m) {
  switch (m) {
  case SendMode::none: return "none";
  case SendMode::create: return "create";
  case SendMode::update: return "update";
  }
  return "none";
}

Result<std::pair<Tally, Tally>> two_tallies(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"a\" and \"b\"", in);
  Errors errors;
  Tally a, b;
  for (auto [key, target] : {std::pair{"a", &a}, std::pair{"b", &b}}) {
    if (!in.contains(key)) {
      errors.push_back(Error{ErrorCode::required, key, "required"});
      continue;
    }
    auto t = tally_from_counts(in.at(key), key);
    if (t)
      *target = *t;
    else
      errors.push_back(t.error());
  }
  if (!errors.empty()) return errors;
  return std::pair{a, b};
}

std::optional<UrlMatch> url_match_named(std::string_view name) {
  for (UrlMatch m :
       {UrlMatch::exact, UrlMatch::contains, UrlMatch::starts_with, UrlMatch::ends_with, UrlMatch::glob})
    if (to_string(m) == name) return m;
  return std::nullopt;
}

// A definition validated and normalised: what npsd stores and serves as /config.
Result<ordered_json> op_survey_parse(const json& in) {
  auto survey = parse_survey(in);
  if (!survey) return survey.errors();
  return ordered_json(to_json(*survey));
}

// The operations the browser modules link one by one (see invoke_flow, invoke_survey).
// The survey and a new session from an operation's "survey" and "start" fields.
template <SurveyField read_survey> Result<std::pair<Survey, FlowState>> started_flow(const json& in) {
  auto survey = read_survey(in);
  if (!survey) return survey.errors();
  auto start = parse_flow_start(in.value("start", json::object()));
  if (!start) return under("start", start);
  auto state = start_flow(*survey, *start);
  if (!state) return under("start", state);
  return std::pair{std::move(survey).value(), std::move(state).value()};
}

// The built-in languages, in the core's order ("en" first): what a survey that names no
// locales is offered in. Input: null.
// The flow operations write their answers as text, member by member, in the documented
// order: the bytes an ordered_json with these members dumps to, without a second JSON type
// in the browser's flow module, which shares these functions (invoke_flow).
class ObjectText {
public:
  ObjectText& add(std::string_view key, const json& value) {
    out_ += out_.size() > 1 ? ",\"" : "\"";
    out_ += key; // the keys here are plain ASCII names
    out_ += "\":";
    out_ += dump(value);
    return *this;
  }
  std::string done() {
    out_ += '}';
    return std::move(out_);
  }

private:
  std::string out_ = "{";
};

// The language a session will speak and the built-in language whose texts it uses: the
// browser's flow module carries no texts, so the widget fetches that one language
// (i18n.strings' output, web/dist/nps-texts/<tag>.json) before flow.start.
template <SurveyField read_survey = survey_field> Result<std::string> op_flow_locale(const json& in) {
  auto started = started_flow<read_survey>(in);
  if (!started) return started.errors();
  const std::string& locale = started->second.locale;
  return ObjectText().add("locale", locale).add("strings", std::string(i18n::texts_locale(locale))).done();
}

template <SurveyField read_survey = survey_field> Result<std::string> op_flow_start(const json& in) {
  auto started = started_flow<read_survey>(in);
  if (!started) return started.errors();
  const auto& [survey, state] = *started;
  return ObjectText().add("state", to_json(state)).add("view", view(survey, state)).done();
}

template <SurveyField read_survey = survey_field, Result<FlowState> (*read_state)(const json&) = state_field>
Result<std::string> op_flow_apply(const json& in) {
  auto survey = read_survey(in);
  if (!survey) return survey.errors();
  auto state = read_state(in);
  if (!state) return state.errors();
  auto event = parse_flow_event(in.value("event", json()));
  if (!event) return under("event", event);
  auto t = apply(*survey, *state, *event);
  if (!t) return under("event", t);
  ObjectText out;
  out.add("state", to_json(t->state)).add("view", view(*survey, t->state)).add("send", send_name(t->send));
  if (t->send != SendMode::none) out.add("response", to_json(t->state.response));
  return out.done();
}

Result<ordered_json> op_eligibility_decide(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"survey\", \"visitor\", \"page\"", in);
  Errors errors;
  unknown_fields(in, {"survey", "visitor", "page"}, errors);
  for (const char* key : {"survey", "visitor", "page"})
    if (!in.contains(key)) errors.push_back(Error{ErrorCode::required, key, "required"});
  if (!errors.empty()) return errors;
  auto survey = parse_survey(in.at("survey"));
  auto visitor = parse_visitor(in.at("visitor"));
  auto page = parse_page(in.at("page"));
  if (!survey) append_prefixed(errors, survey.errors(), "survey");
  if (!visitor) append_prefixed(errors, visitor.errors(), "visitor");
  if (!page) append_prefixed(errors, page.errors(), "page");
  if (!errors.empty()) return errors;
  const json d = to_json(decide(*survey, *visitor, *page));
  ordered_json out; // the documented key order
  for (const char* key : {"verdict", "code", "reason", "params", "wait_for"})
    if (d.contains(key)) out[key] = ordered_json(d.at(key));
  return out;
}

// {"survey", "<field>"}: the survey validated, and the field present (errors otherwise).
Result<Survey> survey_and(const json& in, const char* field) {
  if (!in.is_object())
    return type_error("", std::string("an object with \"survey\" and \"") + field + "\"", in);
  Errors errors;
  unknown_fields(in, {"survey", field}, errors);
  if (!in.contains(field)) errors.push_back(Error{ErrorCode::required, field, "required"});
  auto survey = survey_field(in);
  if (!survey) errors.insert(errors.end(), survey.errors().begin(), survey.errors().end());
  if (!errors.empty()) return errors;
  return survey;
}

// The page address a response to this survey stores (null: none).
Result<ordered_json> op_privacy_page(const json& in) {
  auto survey = survey_and(in, "page");
  if (!survey) return survey.errors();
  const json& page = in.at("page");
  if (!page.is_string()) return type_error("page", "a string", page);
  const std::string_view kept = store_page(survey->privacy, page.get_ref<const std::string&>());
  return kept.empty() ? ordered_json(nullptr) : ordered_json(std::string(kept));
}

// Which of these attributes are personal in this survey, and the others as viewers see them.
Result<ordered_json> op_privacy_attributes(const json& in) {
  auto survey = survey_and(in, "attributes");
  if (!survey) return survey.errors();
  const json& attributes = in.at("attributes");
  if (!attributes.is_object()) return type_error("attributes", "an object", attributes);
  ordered_json personal = ordered_json::array();
  for (const auto& [key, value] : attributes.items())
    if (is_personal_attribute(survey->privacy, key)) personal.push_back(key);
  return ordered_json{{"personal", personal},
                      {"visible", ordered_json(without_personal(survey->privacy, attributes))}};
}

const std::vector<std::pair<std::string_view, Op>>& operations() {
  static const std::vector<std::pair<std::string_view, Op>> ops = {
      {"summarize",
       [](const json& in) -> Result<ordered_json> {
         auto t = tally_from_scores(in);
         if (!t) return t.errors();
         auto s = summarize(*t);
         if (!s) return s.errors();
         return summary_json(*s);
       }},
      {"score.parse",
       [](const json& in) -> Result<ordered_json> {
         auto s = score_from_json(in, "");
         if (!s) return s.errors();
         return ordered_json{{"score", s->value()}, {"category", std::string(to_string(classify(*s)))}};
       }},
      {"tally.summary",
       [](const json& in) -> Result<ordered_json> {
         if (!in.is_object() || !in.contains("counts"))
           return Error{ErrorCode::required, "counts", "required"};
         auto t = tally_from_counts(in.at("counts"), "counts");
         if (!t) return t.errors();
         if (auto s = summarize(*t); !s) return s.errors(); // no_data: an NPS of nothing is not 0
         return tally_summary_json(*t);
       }},
      {"tally.merge",
       [](const json& in) -> Result<ordered_json> {
         auto ab = two_tallies(in);
         if (!ab) return ab.errors();
         return counts_json(merged(ab->first, ab->second));
       }},
      {"tally.compare",
       [](const json& in) -> Result<ordered_json> {
         auto ab = two_tallies(in);
         if (!ab) return ab.errors();
         auto c = compare(ab->first, ab->second);
         if (!c) return c.errors();
         return ordered_json{{"difference", c->difference},
                             {"z", c->z},
                             {"p", c->p},
                             {"significant", c->significant},
                             {"small_sample", c->small_sample}};
       }},
      {"response.parse",
       [](const json& in) -> Result<ordered_json> {
         auto r = parse_response(in);
         if (!r) return r.errors();
         return ordered_json(to_json(*r));
       }},
      {"scores.read",
       [](const json& in) -> Result<ordered_json> {
         if (!in.is_object()) return type_error("", "an object with \"text\"", in);
         if (!in.contains("text")) return Error{ErrorCode::required, "text", "required"};
         if (!in.at("text").is_string()) return type_error("text", "a string", in.at("text"));
         ScoreListOptions options;
         if (in.contains("column")) {
           if (!in.at("column").is_string()) return type_error("column", "a string", in.at("column"));
           options.column = in.at("column").get<std::string>();
         }
         auto list = read_scores(in.at("text").get_ref<const std::string&>(), options);
         if (!list) return list.errors();
         ordered_json invalid = ordered_json::array();
         for (const auto& bad : list->invalid)
           invalid.push_back(ordered_json{{"line", bad.line},
                                          {"value", bad.value},
                                          {"code", std::string(to_string(bad.error.code))},
                                          {"message", bad.error.message}});
         return ordered_json{
             {"counts", counts_json(list->tally)}, {"blank", list->blank}, {"invalid", invalid}};
       }},
      {"survey.parse", op_survey_parse},
      {"flow.run",
       [](const json& in) -> Result<ordered_json> {
         // A whole session as a list of events: each event's outcome, what was sent, and
         // the final view. Rejected events leave the state as it was, as in a real widget.
         auto started = started_flow<survey_field>(in);
         if (!started) return started.errors();
         const Survey& survey = started->first;
         const json events = in.value("events", json::array());
         if (!events.is_array()) return type_error("events", "an array of events", events);
         FlowState st = started->second;
         ordered_json steps = ordered_json::array();
         for (std::size_t i = 0; i < events.size(); ++i) {
           auto event = parse_flow_event(events[i]);
           if (!event) return under(join_path("events", i), event);
           auto t = apply(survey, st, *event);
           ordered_json step = {{"event", to_string(event->type)}};
           if (!t) {
             step["error"] = ordered_json{{"code", to_string(t.error().code)},
                                          {"path", t.error().path},
                                          {"message", t.error().message}};
           } else {
             st = t->state;
             step["step"] = to_string(st.step);
             step["send"] = ordered_json(send_name(t->send));
             if (t->send != SendMode::none) step["response"] = ordered_json(to_json(st.response));
           }
           steps.push_back(step);
         }
         return ordered_json{{"steps", steps}, {"view", ordered_json(view(survey, st))}};
       }},
      {"eligibility.decide", op_eligibility_decide},
      {"eligibility.sample",
       [](const json& in) -> Result<ordered_json> {
         if (!in.is_object())
           return type_error("", "an object with \"visitor_id\", \"survey_id\", \"percent\"", in);
         Errors errors;
         unknown_fields(in, {"visitor_id", "survey_id", "percent"}, errors);
         require_strings(in, {"visitor_id", "survey_id"}, errors);
         if (!in.contains("percent"))
           errors.push_back(Error{ErrorCode::required, "percent", "required"});
         else if (!in.at("percent").is_number())
           errors.push_back(type_error("percent", "a number from 0 to 100", in.at("percent")));
         else if (const double p = in.at("percent").get<double>(); !(p >= 0 && p <= 100))
           errors.push_back(Error{ErrorCode::out_of_range, "percent", "between 0 and 100"});
         if (!errors.empty()) return errors;
         const auto& visitor = in.at("visitor_id").get_ref<const std::string&>();
         const auto& survey = in.at("survey_id").get_ref<const std::string&>();
         return ordered_json{{"bucket", sample_bucket(visitor, survey)},
                             {"in_sample", in_sample(in.at("percent").get<double>(), visitor, survey)}};
       }},
      {"eligibility.daily_cap",
       [](const json& in) -> Result<ordered_json> {
         auto survey = survey_field(in);
         if (!survey) return survey.errors();
         const json today = in.value("stored_today", json());
         const auto n = as_integer(today);
         if (!today.is_number() || !n || *n < 0)
           return Error{ErrorCode::invalid_value, "stored_today", "a count, 0 or more"};
         const bool reached = daily_cap_reached(survey->sampling, static_cast<std::uint64_t>(*n));
         return ordered_json{{"accept", !reached}, {"cap", survey->sampling.daily_response_cap}};
       }},
      {"eligibility.url_match",
       [](const json& in) -> Result<ordered_json> {
         if (!in.is_object()) return type_error("", "an object with \"match\", \"pattern\", \"url\"", in);
         Errors errors;
         unknown_fields(in, {"match", "pattern", "url"}, errors);
         require_strings(in, {"match", "pattern", "url"}, errors);
         if (!errors.empty()) return errors;
         const auto match = url_match_named(in.at("match").get_ref<const std::string&>());
         if (!match)
           return Error{ErrorCode::invalid_value, "match",
                        "one of exact, contains, starts_with, ends_with or glob"};
         return ordered_json(url_matches(*match, in.at("pattern").get_ref<const std::string&>(),
                                         in.at("url").get_ref<const std::string&>()));
       }},
      {"locale.canonical",
       [](const json& in) -> Result<ordered_json> {
         if (!in.is_string()) return type_error("", "a string", in);
         auto l = canonical_locale(in.get_ref<const std::string&>(), "");
         if (!l) return l.errors();
         return ordered_json(*l);
       }},
      {"i18n.negotiate", i18n_negotiate},
      {"i18n.direction",
       [](const json& in) -> Result<ordered_json> {
         if (!in.is_string()) return type_error("", "a language tag", in);
         return ordered_json(std::string(i18n::to_string(i18n::direction(in.get_ref<const std::string&>()))));
       }},
      {"i18n.strings", i18n_strings},
      {"i18n.locales", op_i18n_locales},
      {"i18n.format", i18n_format},
      {"privacy.page", op_privacy_page},
      {"privacy.attributes", op_privacy_attributes},
      {"tally.trend", tally_trend_op}, // issue 19: the longer trend (trend.hpp)
      {"drivers.fit", op_drivers_fit}, // issue 17: insights
      {"churn.fit", op_churn_fit},
      {"churn.risk", op_churn_risk},
      {"themes.log_odds", op_themes_log_odds},
      {"themes.prune", op_themes_prune},
      {"themes.impact", op_themes_impact},
      {"themes.trend", op_themes_trend},
      {"themes.sentiment", op_themes_sentiment},
      {"reply.read", op_reply_read},                   // issue 15: SMS replies
      {"funnel.summary", op_funnel_summary},           // issue 19: the funnel (funnel.hpp)
      {"survey_texts.export", op_survey_texts_export}, // issue 19: the translation hand-off
      {"survey_texts.import", op_survey_texts_import},
  };
  return ops;
}

} // namespace

Result<Tally> tally_from_scores(const json& scores) {
  if (!scores.is_array()) return type_error("", "an array of scores", scores);
  Tally t;
  Errors errors;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const json& v = scores[i];
    const std::string path = join_path("", i);
    // Scores in a list are numbers; text belongs to the CLI, which parses it per line.
    Result<Score> s = v.is_string() ? Result<Score>(type_error(path, "a whole number from 0 to 10", v))
                                    : score_from_json(v, path);
    if (s)
      t.add(*s);
    else
      errors.push_back(s.error());
  }
  if (!errors.empty()) return errors;
  return t;
}

// The operations that write their own text (see ObjectText).
using TextOp = Result<std::string> (*)(const json&);
constexpr std::pair<std::string_view, TextOp> text_operations[] = {
    {"flow.locale", op_flow_locale<>},
    {"flow.start", op_flow_start<>},
    {"flow.apply", op_flow_apply<>},
    {"visitor.record", op_visitor_record<true>},
};

const std::vector<std::string_view>& operation_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& [name, op] : operations())
      v.push_back(name);
    for (const auto& [name, op] : text_operations)
      v.push_back(name);
    return v;
  }();
  return names;
}

namespace {
template <class T> Invoked run_one(Result<T> (*fn)(const json&), std::string_view input_json) {
  auto in = parse_json(input_json);
  if (!in) return Invoked{false, dump(to_json(in.errors()))};
  auto out = fn(*in);
  if (!out) return Invoked{false, dump(to_json(out.errors()))};
  if constexpr (std::is_same_v<T, std::string>)
    return Invoked{true, std::move(out).value()};
  else
    return Invoked{true, dump(*out)};
}
} // namespace

Invoked invoke(std::string_view op, std::string_view input_json) {
  for (const auto& [name, fn] : text_operations)
    if (name == op) return run_one(fn, input_json);
  auto in = parse_json(input_json);
  if (!in) return Invoked{false, dump(to_json(in.errors()))};
  for (const auto& [name, fn] : operations()) {
    if (name != op) continue;
    auto out = fn(*in);
    if (!out) return Invoked{false, dump(to_json(out.errors()))};
    return Invoked{true, dump(*out)};
  }
  return Invoked{false, dump(to_json(Errors{Error{ErrorCode::unknown_op, "",
                                                  "no operation named \"" + std::string(op) + "\""}}))};
}

Invoked invoke_survey(std::string_view op, std::string_view input_json) {
  if (op == "survey.parse") return run_one(op_survey_parse, input_json);
  if (op == "i18n.locales") return run_one(op_i18n_locales, input_json);
  if (op == "i18n.negotiate") return run_one(i18n_negotiate, input_json); // the dashboard's language
  return Invoked{false,
                 dump(to_json(Errors{Error{ErrorCode::unknown_op, "",
                                           "no survey operation named \"" + std::string(op) + "\""}}))};
}

Invoked invoke_flow(std::string_view op, std::string_view input_json) {
  if (op == "flow.locale") return run_one(op_flow_locale<served_survey_field>, input_json);
  if (op == "flow.start") return run_one(op_flow_start<served_survey_field>, input_json);
  if (op == "flow.apply") return run_one(op_flow_apply<served_survey_field, served_state_field>, input_json);
  if (op == "visitor.record") return run_one(op_visitor_record<false>, input_json);
  return Invoked{false, dump(to_json(Errors{Error{ErrorCode::unknown_op, "",
                                                  "no flow operation named \"" + std::string(op) + "\""}}))};
}

} // namespace nps
