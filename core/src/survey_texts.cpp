// The translation hand-off (nps/survey_texts.hpp): a survey's texts as rows, and rows merged
// back. Sections: the texts of a survey · export · import · the ops
#include "nps/survey_texts.hpp"

#include "api_fields.hpp"
#include "nps/locale.hpp"
#include "nps/text.hpp"
#include "survey_names.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <utility>

namespace nps {

std::string_view to_string(TextState s) noexcept {
  switch (s) {
  case TextState::missing: return "missing";
  case TextState::present: return "present";
  case TextState::applied: return "applied";
  case TextState::stale: return "stale";
  }
  return "missing";
}

namespace {

// ---- the texts of a survey ---------------------------------------------------------------

// Each translatable text of the survey with its key, in the order of the definition (the
// same walk as survey.cpp's check_text_locales). The product is not a LocalizedText when it
// is one name: walk_texts leaves it to the callers (key "product").
void walk_texts(Survey& s, const std::function<void(const std::string&, LocalizedText&)>& f) {
  if (s.qualify) { // asked first
    Question& q = s.qualify->question;
    f("qualify.question.text", q.text);
    for (std::size_t o = 0; o < q.options.size(); ++o)
      f(join_path(join_path("qualify.question.options", o), "label"), q.options[o].label);
  }
  f("question", s.texts.question);
  f("low_label", s.texts.low_label);
  f("high_label", s.texts.high_label);
  for (std::size_t c = 0; c < 3; ++c) {
    const std::string base = join_path("followup", detail::category_keys[c]);
    CategoryFlow& flow = s.categories[c];
    f(join_path(base, "text"), flow.followup);
    f(join_path(base, "placeholder"), flow.placeholder);
    for (std::size_t i = 0; i < flow.questions.size(); ++i) {
      Question& q = flow.questions[i];
      const std::string qp = join_path(join_path(base, "questions"), i);
      f(join_path(qp, "text"), q.text);
      f(join_path(qp, "placeholder"), q.placeholder);
      for (std::size_t o = 0; o < q.options.size(); ++o)
        f(join_path(join_path(join_path(qp, "options"), o), "label"), q.options[o].label);
      f(join_path(qp, "low_label"), q.low_label);
      f(join_path(qp, "high_label"), q.high_label);
    }
    f(join_path(base, "thanks"), flow.thanks);
    if (flow.thanks_link) f(join_path(join_path(base, "thanks_link"), "label"), flow.thanks_link->label);
  }
}

std::string text_in(const LocalizedText& t, const std::string& locale) {
  const auto it = t.find(locale);
  return it == t.end() ? std::string() : it->second;
}

// The rows of a survey: key, source text and the target text now (state present/missing).
std::vector<TextRow> rows_of(Survey s, const std::string& source, const std::string& target) {
  std::vector<TextRow> rows;
  auto add = [&](const std::string& key, const std::string& from, const std::string& to) {
    if (from.empty()) return; // the built-in text, translated by the built-in tables
    rows.push_back(TextRow{key, from, to, to.empty() ? TextState::missing : TextState::present});
  };
  if (!s.product.empty() || !s.product_names.empty())
    add("product",
        s.product_names.empty() ? (source == s.default_locale ? s.product : "")
                                : text_in(s.product_names, source),
        text_in(s.product_names, target));
  walk_texts(
      s, [&](const std::string& key, LocalizedText& t) { add(key, text_in(t, source), text_in(t, target)); });
  return rows;
}

// The target and source tags, canonical; errors under "target" and "source".
Result<std::pair<std::string, std::string>> languages(const Survey& s, const std::string& target,
                                                      const std::string& source) {
  Errors errors;
  auto t = canonical_locale(target, "target");
  if (!t) errors.push_back(t.error());
  auto src = source.empty() ? Result<std::string>(s.default_locale) : canonical_locale(source, "source");
  if (!src) errors.push_back(src.error());
  if (!errors.empty()) return errors;
  if (*t == *src)
    return Error{ErrorCode::invalid_value, "target", "the same language as the source (" + *t + ")"};
  if (!s.locales.empty() && std::find(s.locales.begin(), s.locales.end(), *t) == s.locales.end())
    return Error{ErrorCode::invalid_value, "target",
                 *t + " is not one of the survey's locales; add it to \"locales\" first"};
  return std::pair{*t, *src};
}

} // namespace

// ---- export ------------------------------------------------------------------------------

Result<std::vector<TextRow>> export_texts(const Survey& s, const std::string& target,
                                          const std::string& source) {
  auto langs = languages(s, target, source);
  if (!langs) return langs.errors();
  return rows_of(s, langs->second, langs->first);
}

// ---- import ------------------------------------------------------------------------------

Result<TextImport> import_texts(const Survey& s, const std::string& target, const std::vector<TextRow>& rows,
                                const std::string& source) {
  auto langs = languages(s, target, source);
  if (!langs) return langs.errors();
  const std::string& to = langs->first;
  const std::vector<TextRow> current = rows_of(s, langs->second, to);
  std::map<std::string, std::size_t> index; // key → position in current
  for (std::size_t i = 0; i < current.size(); ++i)
    index[current[i].key] = i;

  Errors errors;
  std::map<std::string, std::size_t> seen;  // key → its first row
  std::map<std::string, std::string> apply; // key → target text
  std::vector<TextRow> report = current;
  for (auto& r : report) {
    r.state = TextState::missing;
    r.target.clear();
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const TextRow& row = rows[i];
    const std::string path = join_path(join_path("rows", i), "key");
    if (auto [at, fresh] = seen.emplace(row.key, i); !fresh) {
      errors.push_back(Error{ErrorCode::duplicate, path,
                             "\"" + row.key + "\" is also at rows[" + std::to_string(at->second) + "]"});
      continue;
    }
    const auto found = index.find(row.key);
    if (found == index.end()) {
      errors.push_back(Error{ErrorCode::invalid_value, path,
                             "the survey has no text to translate at \"" + row.key + "\""});
      continue;
    }
    bool readable = true;
    for (auto [field, text] : {std::pair{"source", &row.source}, std::pair{"target", &row.target}})
      if (auto bad = invalid_utf8_at(*text)) {
        errors.push_back(Error{ErrorCode::invalid_utf8, join_path(join_path("rows", i), field),
                               "not valid UTF-8 at byte " + std::to_string(*bad)});
        readable = false;
      }
    if (!readable) continue;
    TextRow& out = report[found->second];
    const std::string translated = normalize_text(row.target);
    if (normalize_text(row.source) != current[found->second].source) {
      out.state = TextState::stale;
      out.target = translated;
    } else if (translated.empty()) {
      out.state = TextState::missing;
    } else {
      out.state = TextState::applied;
      out.target = translated;
      apply[row.key] = translated;
    }
  }
  if (!errors.empty()) return errors;

  Survey merged = s;
  if (auto it = apply.find("product"); it != apply.end()) {
    if (merged.product_names.empty()) merged.product_names[merged.default_locale] = merged.product;
    merged.product_names[to] = it->second;
  }
  walk_texts(merged, [&](const std::string& key, LocalizedText& t) {
    if (auto it = apply.find(key); it != apply.end()) t[to] = it->second;
  });
  // The validator decides the rest (lengths, placeholders); its paths name the text and
  // its language ("followup.detractor.text.es").
  auto checked = parse_survey(to_json(merged));
  if (!checked) return checked.errors();
  return TextImport{std::move(checked).value(), std::move(report)};
}

// ---- the ops -----------------------------------------------------------------------------

namespace {

struct OpInput {
  Survey survey;
  std::string target, source;
  std::vector<TextRow> rows;
};

Result<OpInput> read_input(const json& in, bool with_rows) {
  if (!in.is_object()) return type_error("", "an object with \"survey\" and \"target\"", in);
  Errors errors;
  if (with_rows)
    detail::unknown_fields(in, {"survey", "target", "source", "rows"}, errors);
  else
    detail::unknown_fields(in, {"survey", "target", "source"}, errors);
  OpInput out;
  if (!in.contains("survey")) {
    errors.push_back(Error{ErrorCode::required, "survey", "required"});
  } else if (auto s = parse_survey(in.at("survey"))) {
    out.survey = std::move(s).value();
  } else {
    append_prefixed(errors, s.errors(), "survey");
  }
  detail::require_strings(in, {"target"}, errors);
  if (in.contains("target") && in.at("target").is_string()) out.target = in.at("target").get<std::string>();
  if (in.contains("source")) {
    if (!in.at("source").is_string())
      errors.push_back(type_error("source", "a language tag", in.at("source")));
    else
      out.source = in.at("source").get<std::string>();
  }
  if (with_rows) {
    if (!in.contains("rows")) {
      errors.push_back(Error{ErrorCode::required, "rows", "required"});
    } else if (const json& rows = in.at("rows"); !rows.is_array()) {
      errors.push_back(type_error("rows", "an array of {key, source, target}", rows));
    } else {
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const json& r = rows[i];
        const std::string path = join_path("rows", i);
        if (!r.is_object()) {
          errors.push_back(type_error(path, "an object {key, source, target}", r));
          continue;
        }
        Errors row_errors;
        detail::unknown_fields(r, {"key", "source", "target"}, row_errors);
        detail::require_strings(r, {"key", "source", "target"}, row_errors);
        append_prefixed(errors, row_errors, path);
        if (!row_errors.empty()) continue;
        out.rows.push_back(TextRow{r.at("key").get<std::string>(), r.at("source").get<std::string>(),
                                   r.at("target").get<std::string>(), TextState::missing});
      }
    }
  }
  if (!errors.empty()) return errors;
  return out;
}

ordered_json counted(ordered_json out, const std::vector<TextRow>& rows,
                     std::initializer_list<TextState> states) {
  for (TextState st : states)
    out[std::string(to_string(st))] =
        std::count_if(rows.begin(), rows.end(), [st](const TextRow& r) { return r.state == st; });
  return out;
}

} // namespace

Result<ordered_json> op_survey_texts_export(const json& in) {
  auto input = read_input(in, false);
  if (!input) return input.errors();
  auto rows = export_texts(input->survey, input->target, input->source);
  if (!rows) return rows.errors();
  ordered_json list = ordered_json::array();
  for (const auto& r : *rows)
    list.push_back(ordered_json{{"key", r.key},
                                {"source", r.source},
                                {"target", r.target},
                                {"state", std::string(to_string(r.state))}});
  const std::string source =
      input->source.empty() ? input->survey.default_locale : *canonical_locale(input->source);
  return counted(
      ordered_json{{"source", source}, {"target", *canonical_locale(input->target)}, {"rows", list}}, *rows,
      {TextState::missing, TextState::present});
}

Result<ordered_json> op_survey_texts_import(const json& in) {
  auto input = read_input(in, true);
  if (!input) return input.errors();
  auto done = import_texts(input->survey, input->target, input->rows, input->source);
  if (!done) return done.errors();
  ordered_json list = ordered_json::array();
  const std::vector<TextRow> now = rows_of(
      input->survey, input->source.empty() ? input->survey.default_locale : *canonical_locale(input->source),
      *canonical_locale(input->target));
  for (std::size_t i = 0; i < done->rows.size(); ++i) {
    const TextRow& r = done->rows[i];
    ordered_json row{{"key", r.key}, {"state", std::string(to_string(r.state))}};
    if (r.state == TextState::stale) row["source"] = now[i].source;
    list.push_back(row);
  }
  return counted(ordered_json{{"survey", ordered_json(to_json(done->survey))}, {"rows", list}}, done->rows,
                 {TextState::applied, TextState::missing, TextState::stale});
}

} // namespace nps
