// The respondent's session: transitions and the view (their JSON is flow_json.cpp).
//
// Sections: names · texts in the session's language · conditions and step order ·
// answers · start · apply · view (the thanks link is thanks_link.cpp)
#include "nps/flow.hpp"
#include "flow_names.hpp"

#include "nps/i18n.hpp"
#include "nps/locale.hpp"
#include "nps/text.hpp"

#include <algorithm>

namespace nps {

// ---- names -------------------------------------------------------------------------------

std::string_view to_string(Step s) noexcept {
  switch (s) {
  case Step::score: return "score";
  case Step::followup: return "followup";
  case Step::question: return "question";
  case Step::thanks: return "thanks";
  case Step::closed: return "closed";
  case Step::qualify: return "qualify";
  }
  return "closed";
}

std::string_view to_string(EventType e) noexcept {
  switch (e) {
  case EventType::choose_score: return "choose_score";
  case EventType::answer: return "answer";
  case EventType::skip: return "skip";
  case EventType::back: return "back";
  case EventType::dismiss: return "dismiss";
  case EventType::close: return "close";
  }
  return "close";
}

std::optional<Step> step_from_string(std::string_view s) {
  for (Step st : {Step::score, Step::followup, Step::question, Step::thanks, Step::closed, Step::qualify})
    if (to_string(st) == s) return st;
  return std::nullopt;
}

std::optional<EventType> event_from_string(std::string_view s) {
  for (EventType e : {EventType::choose_score, EventType::answer, EventType::skip, EventType::back,
                      EventType::dismiss, EventType::close})
    if (to_string(e) == s) return e;
  return std::nullopt;
}

namespace {

constexpr int history_followup = -1;

// ---- texts in the session's language -------------------------------------------------------

std::vector<std::string> available_locales(const Survey& s) {
  if (!s.locales.empty()) return s.locales;
  std::vector<std::string> all = i18n::builtin_locales();
  if (std::find(all.begin(), all.end(), s.default_locale) == all.end()) all.push_back(s.default_locale);
  return all;
}

bool has_builtin_texts(const std::string& locale) {
  return !i18n::negotiate({locale}, i18n::builtin_locales(), "").empty();
}

// The survey's own text in the session's language; else the built-in text in that
// language (so a Spanish visitor never gets an English custom text when a Spanish built-in
// exists); else the survey's text in its default language.
std::string pick(const Survey& s, const LocalizedText& custom, const std::string& locale,
                 std::optional<i18n::Text> builtin) {
  if (auto it = custom.find(locale); it != custom.end()) return it->second;
  if (builtin && (has_builtin_texts(locale) || custom.empty()))
    return std::string(i18n::builtin(locale, *builtin));
  if (auto it = custom.find(s.default_locale); it != custom.end()) return it->second;
  if (!custom.empty()) return custom.begin()->second;
  return "";
}

std::string ui(const std::string& locale, i18n::Text t) { return std::string(i18n::builtin(locale, t)); }

std::string question_text(const Survey& s, const std::string& locale) {
  const std::vector<std::pair<std::string_view, std::string>> params = {{"product", product_name(s, locale)}};
  if (auto it = s.texts.question.find(locale); it != s.texts.question.end())
    return i18n::format(it->second, params);
  if (has_builtin_texts(locale) || s.texts.question.empty())
    return s.product.empty() ? ui(locale, i18n::Text::question_generic)
                             : i18n::format(ui(locale, i18n::Text::question), params);
  return i18n::format(pick(s, s.texts.question, locale, std::nullopt), params);
}

i18n::Text followup_text_key(Category c) {
  switch (c) {
  case Category::detractor: return i18n::Text::followup_detractor;
  case Category::passive: return i18n::Text::followup_passive;
  case Category::promoter: return i18n::Text::followup_promoter;
  }
  return i18n::Text::followup_passive;
}

// ---- conditions and step order --------------------------------------------------------------

json answer_of(const Response& r, const std::string& question) {
  if (question == "score") return r.score.value();
  if (question == "comment") return r.comment ? json(*r.comment) : json(nullptr);
  auto it = r.answers.find(question);
  return it == r.answers.end() ? json(nullptr) : *it;
}

bool holds(const Condition& c, const Response& r) {
  const json v = answer_of(r, c.question);
  switch (c.op) {
  case ConditionOp::answered: return !v.is_null();
  case ConditionOp::not_answered: return v.is_null();
  case ConditionOp::equals: return !v.is_null() && v == c.value;
  case ConditionOp::not_equals: return v.is_null() || v != c.value;
  case ConditionOp::includes: return v.is_array() && std::find(v.begin(), v.end(), c.value) != v.end();
  case ConditionOp::less:
    return v.is_number() && c.value.is_number() && v.get<double>() < c.value.get<double>();
  case ConditionOp::greater:
    return v.is_number() && c.value.is_number() && v.get<double>() > c.value.get<double>();
  }
  return false;
}

const CategoryFlow& category_flow(const Survey& s, const FlowState& st) {
  return s.flow_for(classify(st.response.score));
}

bool visible(const Question& q, const Response& r) { return !q.condition || holds(*q.condition, r); }

// The first visible question at or after `from`, or -1.
int next_question(const CategoryFlow& f, const Response& r, int from) {
  for (int i = std::max(from, 0); i < static_cast<int>(f.questions.size()); ++i)
    if (visible(f.questions[static_cast<std::size_t>(i)], r)) return i;
  return -1;
}

// Moves forward from the current step; records it for back.
void advance(const Survey& s, FlowState& st) {
  const CategoryFlow& f = category_flow(s, st);
  int next = -1;
  switch (st.step) {
  case Step::score:
    st.history.push_back(history_score);
    if (f.ask_followup) {
      st.step = Step::followup;
      st.question = -1;
      return;
    }
    next = next_question(f, st.response, 0);
    break;
  case Step::followup:
    st.history.push_back(history_followup);
    next = next_question(f, st.response, 0);
    break;
  case Step::question:
    st.history.push_back(st.question);
    next = next_question(f, st.response, st.question + 1);
    break;
  case Step::thanks:
  case Step::closed:
  case Step::qualify: return;
  }
  if (next >= 0) {
    st.step = Step::question;
    st.question = next;
  } else {
    st.step = Step::thanks;
    st.question = -1;
  }
}

// Answers to questions that are no longer shown (their condition stopped holding, or the
// score moved to another category) are dropped so the response holds only what was asked.
void prune_answers(const Survey& s, FlowState& st) {
  const CategoryFlow& f = category_flow(s, st);
  json kept = json::object();
  if (s.qualify)
    if (auto it = st.response.answers.find(s.qualify->question.id); it != st.response.answers.end())
      kept[s.qualify->question.id] = *it;
  for (const auto& q : f.questions) {
    if (!visible(q, st.response)) continue;
    auto it = st.response.answers.find(q.id);
    if (it != st.response.answers.end()) kept[q.id] = *it;
  }
  st.response.answers = std::move(kept);
}

// ---- answers ---------------------------------------------------------------------------------

Error event_error(ErrorCode code, std::string message) { return Error{code, "value", std::move(message)}; }

// Validates an answer to a question; null means "no answer".
Result<json> check_answer(const Question& q, const json& v) {
  if (v.is_null()) return json(nullptr);
  switch (q.type) {
  case QuestionType::text: {
    if (!v.is_string()) return type_error("value", "a text", v);
    const auto& raw = v.get_ref<const std::string&>();
    if (!is_valid_utf8(raw)) return event_error(ErrorCode::invalid_utf8, "not valid UTF-8");
    std::string t = normalize_text(raw);
    if (code_points(t) > ResponseLimits::answer_text)
      return event_error(ErrorCode::too_long,
                         "longer than " + std::to_string(ResponseLimits::answer_text) + " characters");
    if (t.empty()) return json(nullptr);
    return json(t);
  }
  case QuestionType::single: {
    if (!v.is_string()) return type_error("value", "an option id", v);
    const auto& id = v.get_ref<const std::string&>();
    for (const auto& o : q.options)
      if (o.id == id) return json(id);
    return event_error(ErrorCode::invalid_value, "\"" + id + "\" is not an option of " + q.id);
  }
  case QuestionType::multiple: {
    if (!v.is_array()) return type_error("value", "an array of option ids", v);
    json chosen = json::array();
    // Kept in the survey's option order, so the same choices always give the same answer.
    for (const auto& o : q.options)
      if (std::find(v.begin(), v.end(), json(o.id)) != v.end()) chosen.push_back(o.id);
    for (std::size_t i = 0; i < v.size(); ++i) {
      const bool known = v[i].is_string() && std::find(chosen.begin(), chosen.end(), v[i]) != chosen.end();
      if (!known) return Error{ErrorCode::invalid_value, join_path("value", i), "not an option of " + q.id};
    }
    if (chosen.size() != v.size()) return event_error(ErrorCode::duplicate, "an option is chosen twice");
    if (chosen.empty()) return json(nullptr);
    return chosen;
  }
  case QuestionType::rating: {
    const auto i = as_integer(v);
    if (!v.is_number() || !i) return type_error("value", "a whole number", v);
    if (*i < q.scale_min || *i > q.scale_max)
      return event_error(ErrorCode::out_of_range,
                         "between " + std::to_string(q.scale_min) + " and " + std::to_string(q.scale_max));
    return json(*i);
  }
  }
  return json(nullptr);
}

Error not_now(EventType e, Step s) {
  return Error{ErrorCode::invalid_value, "type",
               std::string(to_string(e)) + " is not possible on the " + std::string(to_string(s)) + " step"};
}

} // namespace

// ---- start -----------------------------------------------------------------------------------

Result<FlowState> start_flow(const Survey& survey, const FlowStart& start) {
  FlowState st;
  st.locale = i18n::negotiate(start.languages, available_locales(survey), survey.default_locale);
  Response& r = st.response;
  r.survey_id = survey.id;
  r.idempotency_key = start.idempotency_key;
  r.channel = start.channel;
  r.locale = st.locale;
  r.respondent_id = start.respondent_id;
  r.attributes = start.attributes;
  r.page = start.page;
  r.device = start.device;
  r.client_time = start.client_time;
  // The record must be one the server accepts: check it now, with a placeholder score.
  auto checked = parse_response(to_json(r));
  if (!checked) return checked.errors();
  st.response = std::move(checked).value();
  // The page as a response to this survey may keep it (privacy.hpp), as the server stores it.
  apply_privacy(survey.privacy, st.response);
  // The qualifying question is asked where the survey is shown before its score (a page, an
  // app). An e-mail, a text message or a link brings the score with it: no question can come
  // before it there.
  if (survey.qualify && (start.channel == Channel::web || start.channel == Channel::app))
    st.step = Step::qualify;
  return st;
}

// ---- apply -----------------------------------------------------------------------------------

Result<Transition> apply(const Survey& survey, const FlowState& state, const FlowEvent& event) {
  Transition t{state, SendMode::none};
  FlowState& st = t.state;
  st.announcement.reset();
  const Step step = state.step;

  switch (event.type) {
  case EventType::choose_score: {
    if (step != Step::score) return not_now(event.type, step);
    if (!event.value.is_number()) return type_error("value", "a whole number from 0 to 10", event.value);
    auto score = score_from_json(event.value, "value");
    if (!score) return score.errors();
    st.response.score = *score;
    prune_answers(survey, st);
    t.send = st.sent ? SendMode::update : SendMode::create;
    st.sent = true;
    st.announcement =
        i18n::format(ui(st.locale, i18n::Text::score_chosen), {{"score", std::to_string(score->value())}});
    advance(survey, st);
    return t;
  }
  case EventType::answer:
  case EventType::skip: {
    const bool skip = event.type == EventType::skip;
    if (step == Step::qualify) { // required: no skipping; the answer decides
      const Qualifier& qf = *survey.qualify;
      auto checked = skip ? Result<json>(json(nullptr)) : check_answer(qf.question, event.value);
      if (!checked) return checked.errors();
      const json value = std::move(checked).value();
      if (value.is_null())
        return Error{ErrorCode::required, skip ? "type" : "value", ui(st.locale, i18n::Text::required)};
      const bool qualifies = std::any_of(qf.accept.begin(), qf.accept.end(), [&](const std::string& id) {
        return value.is_array() ? std::find(value.begin(), value.end(), json(id)) != value.end()
                                : value == json(id);
      });
      if (qualifies) {
        st.response.answers[qf.question.id] = value;
        st.step = Step::score;
      } else { // not asked anything more: closed as declined, nothing sent
        st.step = Step::closed;
        st.dismissed = true;
      }
      return t;
    }
    if (step == Step::followup) {
      std::optional<std::string> comment;
      if (!skip && !event.value.is_null()) {
        if (!event.value.is_string()) return type_error("value", "a text", event.value);
        const auto& raw = event.value.get_ref<const std::string&>();
        if (!is_valid_utf8(raw)) return event_error(ErrorCode::invalid_utf8, "not valid UTF-8");
        std::string text = normalize_text(raw);
        if (code_points(text) > ResponseLimits::comment)
          return event_error(ErrorCode::too_long,
                             "longer than " + std::to_string(ResponseLimits::comment) + " characters");
        if (!text.empty()) comment = std::move(text);
      }
      if (st.response.comment != comment) {
        st.response.comment = std::move(comment);
        prune_answers(survey, st);
        t.send = SendMode::update;
      }
      advance(survey, st);
      return t;
    }
    if (step == Step::question) {
      const Question& q = category_flow(survey, st).questions[static_cast<std::size_t>(st.question)];
      json value = nullptr;
      if (!skip) {
        auto checked = check_answer(q, event.value);
        if (!checked) return checked.errors();
        value = std::move(checked).value();
      }
      if (value.is_null() && q.required)
        return Error{ErrorCode::required, skip ? "type" : "value", ui(st.locale, i18n::Text::required)};
      const json before = st.response.answers;
      if (value.is_null())
        st.response.answers.erase(q.id);
      else
        st.response.answers[q.id] = value;
      prune_answers(survey, st);
      if (st.response.answers != before) t.send = SendMode::update;
      advance(survey, st);
      return t;
    }
    return not_now(event.type, step);
  }
  case EventType::back: {
    if (step != Step::followup && step != Step::question) return not_now(event.type, step);
    const int previous = st.history.empty() ? history_score : st.history.back();
    if (!st.history.empty()) st.history.pop_back();
    if (previous == history_score) {
      st.step = Step::score;
      st.question = -1;
    } else if (previous == history_followup) {
      st.step = Step::followup;
      st.question = -1;
    } else {
      st.step = Step::question;
      st.question = previous;
    }
    return t;
  }
  case EventType::dismiss:
  case EventType::close: {
    if (step == Step::closed) return not_now(event.type, step);
    st.dismissed =
        step == Step::score || step == Step::qualify; // closing before any score counts as declining
    st.step = Step::closed;
    st.question = -1;
    return t;
  }
  }
  return not_now(event.type, step);
}

// ---- view ------------------------------------------------------------------------------------

namespace {

// A question as every renderer draws it, with the answer given so far.
json question_view(const Survey& survey, const Question& q, const FlowState& st) {
  const std::string& l = st.locale;
  json qv = {
      {"id", q.id},
      {"type", to_string(q.type)},
      {"text", i18n::format(pick(survey, q.text, l, std::nullopt), {{"product", product_name(survey, l)}})},
      {"required", q.required},
      {"value", answer_of(st.response, q.id)}};
  if (q.type == QuestionType::text) {
    qv["placeholder"] = pick(survey, q.placeholder, l, i18n::Text::placeholder);
    qv["max_length"] = ResponseLimits::answer_text; // characters (code points)
  }
  if (q.type == QuestionType::single || q.type == QuestionType::multiple) {
    qv["hint"] = ui(l, q.type == QuestionType::single ? i18n::Text::choose_one : i18n::Text::choose_any);
    json options = json::array();
    const json current_value = answer_of(st.response, q.id);
    for (const auto& o : q.options) {
      const bool selected = current_value.is_array() ? std::find(current_value.begin(), current_value.end(),
                                                                 json(o.id)) != current_value.end()
                                                     : current_value == json(o.id);
      options.push_back(
          {{"id", o.id}, {"label", pick(survey, o.label, l, std::nullopt)}, {"selected", selected}});
    }
    qv["options"] = options;
  }
  if (q.type == QuestionType::rating) {
    qv["min"] = q.scale_min;
    qv["max"] = q.scale_max;
    qv["low_label"] = q.low_label.empty() ? json(nullptr) : json(pick(survey, q.low_label, l, std::nullopt));
    qv["high_label"] =
        q.high_label.empty() ? json(nullptr) : json(pick(survey, q.high_label, l, std::nullopt));
  }
  return qv;
}

} // namespace

json view(const Survey& survey, const FlowState& st) {
  const std::string& l = st.locale;
  json v;
  v["step"] = to_string(st.step);
  v["locale"] = l;
  v["dir"] = i18n::to_string(i18n::direction(l));
  v["dialog_label"] = ui(l, i18n::Text::dialog_label);
  v["theme"] = {{"accent", survey.theme.accent},
                {"position", to_string(survey.theme.position)},
                {"category_colors", survey.theme.category_colors},
                {"mode", to_string(survey.theme.mode)}};
  v["announcement"] = st.announcement ? json(*st.announcement) : json(nullptr);
  if (st.step == Step::closed) {
    v["close"] = nullptr;
    v["actions"] = json::array();
    v["dismissed"] = st.dismissed;
    return v;
  }
  // Before the score, closing is declining ("dismiss"); after it, the answer stands.
  const bool before_score = st.step == Step::score || st.step == Step::qualify;
  v["close"] = {{"label", ui(l, i18n::Text::close)}, {"event", before_score ? "dismiss" : "close"}};

  json actions = json::array();
  const auto action = [&](std::string_view name, EventType ev, i18n::Text label, bool primary) {
    actions.push_back(
        {{"action", name}, {"event", to_string(ev)}, {"label", ui(l, label)}, {"primary", primary}});
  };

  if (st.step == Step::qualify) { // drawn as a question; its answer decides whether the score is asked
    v["step"] = "question";
    v["qualifying"] = true;
    v["question"] = question_view(survey, survey.qualify->question, st);
    v["progress"] = nullptr;
    action("dismiss", EventType::dismiss, i18n::Text::dismiss, false);
    action("next", EventType::answer, i18n::Text::next, true);
    v["actions"] = actions;
    return v;
  }

  if (st.step == Step::score) {
    json options = json::array();
    for (int s = 0; s <= 10; ++s) {
      options.push_back(
          {{"value", s},
           {"label", std::to_string(s)},
           {"aria_label", i18n::format(ui(l, i18n::Text::score_label), {{"score", std::to_string(s)}})},
           {"category", to_string(classify(*Score::from_int(s)))}});
    }
    v["score"] = {{"question", question_text(survey, l)},
                  {"low_label", pick(survey, survey.texts.low_label, l, i18n::Text::low_label)},
                  {"high_label", pick(survey, survey.texts.high_label, l, i18n::Text::high_label)},
                  {"selected", st.sent ? json(st.response.score.value()) : json(nullptr)},
                  {"category_colors", survey.theme.category_colors},
                  {"options", options}};
    if (!st.sent) action("dismiss", EventType::dismiss, i18n::Text::dismiss, false);
    v["actions"] = actions;
    v["progress"] = nullptr;
    return v;
  }

  const CategoryFlow& f = category_flow(survey, st);
  const Category cat = classify(st.response.score);
  v["category"] = to_string(cat);
  // Progress over the steps after the score, as the answers so far make them.
  std::vector<int> steps;
  if (f.ask_followup) steps.push_back(history_followup);
  for (int i = 0; i < static_cast<int>(f.questions.size()); ++i)
    if (visible(f.questions[static_cast<std::size_t>(i)], st.response)) steps.push_back(i);
  const int here = st.step == Step::followup ? history_followup : st.question;
  const auto pos = std::find(steps.begin(), steps.end(), here);

  if (st.step == Step::thanks) {
    json thanks = {{"text", pick(survey, f.thanks, l, i18n::Text::thanks)}, {"link", nullptr}};
    if (f.thanks_link)
      thanks["link"] = {{"url", thanks_url(*f.thanks_link, st.response)},
                        {"label", pick(survey, f.thanks_link->label, l, i18n::Text::thanks_link)}};
    v["thanks"] = thanks;
    v["progress"] = nullptr;
    action("close", EventType::close, i18n::Text::close, true);
    v["actions"] = actions;
    return v;
  }

  const bool last = pos == steps.end() || pos + 1 == steps.end();
  const int current = static_cast<int>(pos - steps.begin()) + 1;
  const int total = static_cast<int>(steps.size());
  v["progress"] = {{"current", current},
                   {"total", total},
                   {"label", i18n::format(ui(l, i18n::Text::progress), {{"current", std::to_string(current)},
                                                                        {"total", std::to_string(total)}})}};
  action("back", EventType::back, i18n::Text::back, false);

  if (st.step == Step::followup) {
    v["followup"] = {{"question", pick(survey, f.followup, l, followup_text_key(cat))},
                     {"placeholder", pick(survey, f.placeholder, l, i18n::Text::placeholder)},
                     {"value", st.response.comment ? json(*st.response.comment) : json("")},
                     {"max_length", ResponseLimits::comment}}; // characters (code points)
    action(last ? "submit" : "next", EventType::answer, last ? i18n::Text::submit : i18n::Text::next, true);
    v["actions"] = actions;
    return v;
  }

  const Question& q = f.questions[static_cast<std::size_t>(st.question)];
  v["question"] = question_view(survey, q, st);
  if (!q.required) action("skip", EventType::skip, i18n::Text::skip, false);
  action(last ? "submit" : "next", EventType::answer, last ? i18n::Text::submit : i18n::Text::next, true);
  v["actions"] = actions;
  return v;
}

} // namespace nps
