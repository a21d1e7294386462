// The names of a survey's enumerations, as its JSON spells them, and lookups in both
// directions: shared by the reader of a definition (survey.cpp) and its writer and
// read-back (survey_json.cpp). Inline variables and templates: one copy in a program.
// Internal to the core's sources.
#pragma once

#include "nps/survey.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace nps::detail {

template <class E, std::size_t N>
std::optional<E> from_name(std::string_view s, const std::pair<E, std::string_view> (&table)[N]) {
  for (const auto& [e, name] : table)
    if (name == s) return e;
  return std::nullopt;
}
template <class E, std::size_t N>
std::string_view name_of(E e, const std::pair<E, std::string_view> (&table)[N]) {
  for (const auto& [v, name] : table)
    if (v == e) return name;
  return table[0].second;
}
template <class E, std::size_t N> std::string names_list(const std::pair<E, std::string_view> (&table)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i) out += i + 1 == N ? " or " : ", ";
    out += table[i].second;
  }
  return out;
}

inline constexpr std::pair<SurveyKind, std::string_view> kind_names[] = {
    {SurveyKind::relational, "relational"}, {SurveyKind::transactional, "transactional"}};
inline constexpr std::pair<QuestionType, std::string_view> question_type_names[] = {
    {QuestionType::text, "text"},
    {QuestionType::single, "single"},
    {QuestionType::multiple, "multiple"},
    {QuestionType::rating, "rating"}};
inline constexpr std::pair<ConditionOp, std::string_view> condition_op_names[] = {
    {ConditionOp::answered, "answered"}, {ConditionOp::not_answered, "not_answered"},
    {ConditionOp::equals, "equals"},     {ConditionOp::not_equals, "not_equals"},
    {ConditionOp::includes, "includes"}, {ConditionOp::less, "less"},
    {ConditionOp::greater, "greater"}};
inline constexpr std::pair<Position, std::string_view> position_names[] = {
    {Position::bottom_right, "bottom-right"},
    {Position::bottom_left, "bottom-left"},
    {Position::center, "center"},
    {Position::inline_block, "inline"}};
inline constexpr std::pair<ColorMode, std::string_view> mode_names[] = {
    {ColorMode::light, "light"}, {ColorMode::dark, "dark"}, {ColorMode::automatic, "auto"}};
inline constexpr std::pair<UrlMatch, std::string_view> url_match_names[] = {
    {UrlMatch::exact, "exact"},
    {UrlMatch::contains, "contains"},
    {UrlMatch::starts_with, "starts_with"},
    {UrlMatch::ends_with, "ends_with"},
    {UrlMatch::glob, "glob"}};
inline constexpr std::pair<TriggerType, std::string_view> trigger_names[] = {
    {TriggerType::page_load, "page_load"},
    {TriggerType::scroll, "scroll"},
    {TriggerType::exit_intent, "exit_intent"},
    {TriggerType::event, "event"},
    {TriggerType::page_views, "page_views"}};
inline constexpr std::pair<AttributeOp, std::string_view> attribute_op_names[] = {
    {AttributeOp::equals, "equals"},
    {AttributeOp::not_equals, "not_equals"},
    {AttributeOp::greater, "greater"},
    {AttributeOp::less, "less"},
    {AttributeOp::contains, "contains"}};
inline constexpr std::string_view category_keys[] = {"detractor", "passive", "promoter"};
inline constexpr std::string_view device_names[] = {"desktop", "mobile", "tablet"};

} // namespace nps::detail
