// Admin: the stored answers, filtered and paged by cursor, and their export as CSV or
// JSON streamed a page at a time.
#include "server_internal.hpp"

#include "csv.hpp"
#include "dates.hpp"
#include "nps/response.hpp"
#include "nps/score.hpp"
#include "nps/themes.hpp"
#include "sentiment.hpp"

#include <algorithm>
#include <set>

namespace npsd {

json response_json(const StoredResponse& s) {
  json j = nps::to_json(s.response);
  j["id"] = s.id;
  j["category"] = std::string(nps::to_string(s.response.category()));
  j["received_at"] = iso_time(s.received_at);
  // issue 16: what the comment's words say, where the language has a measured lexicon
  // (English); the tone and "score and words disagree" are the core's rule.
  if (s.response.comment)
    if (auto words = comment_sentiment(*s.response.comment, s.response.locale.value_or("")); words) {
      const auto verdict = nps::sentiment_verdict(s.response.score, words->sum);
      j["sentiment"] = {{"score", words->sum},
                        {"tone", std::string(nps::to_string(verdict.tone))},
                        {"disagrees", verdict.disagrees},
                        {"positive", words->positive},
                        {"negative", words->negative}};
    }
  return j;
}

namespace {

// Reads the list/export filters from the query string; sends 400 and returns nullopt on error.
std::optional<ResponseFilter> read_filter(Ctx& c) {
  ResponseFilter f;
  f.survey_id = c.params.at(0);
  std::vector<ApiError> errors;
  auto q = [&](const char* k) -> std::optional<std::string> {
    if (!c.req.has_param(k)) return std::nullopt;
    return c.req.get_param_value(k);
  };
  if (auto v = q("from")) {
    if (auto d = parse_date(*v))
      f.from = static_cast<Millis>(*d) * 86'400'000;
    else
      errors.push_back({ApiCode::invalid_format, "from", "a date YYYY-MM-DD"});
  }
  if (auto v = q("to")) { // inclusive
    if (auto d = parse_date(*v))
      f.to = static_cast<Millis>(*d + 1) * 86'400'000;
    else
      errors.push_back({ApiCode::invalid_format, "to", "a date YYYY-MM-DD"});
  }
  if (auto v = q("category")) {
    if (auto cat = nps::category_from_string(*v))
      f.category = *cat;
    else
      errors.push_back({ApiCode::invalid_value, "category", "detractor, passive or promoter"});
  }
  if (auto score = query_int(c, "score", nps::Score::min, nps::Score::max, errors))
    f.score = static_cast<int>(*score);
  const Segments seg = query_segments(c, errors); // channel=, device=, locale=, strictly
  f.channel = seg.channel;
  f.locale = seg.locale;
  f.device = seg.device;
  f.text = q("q");
  f.respondent_id = q("respondent_id");
  if (auto v = q("attribute")) { // key:value
    const auto colon = v->find(':');
    if (colon == std::string::npos || colon == 0)
      errors.push_back({ApiCode::invalid_format, "attribute", "key:value"});
    else {
      f.attribute_key = v->substr(0, colon);
      f.attribute_value = v->substr(colon + 1);
      if (f.attribute_key->find_first_not_of(
              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != std::string::npos)
        errors.push_back({ApiCode::invalid_format, "attribute", "the key has letters, digits, _ . - only"});
    }
  }
  if (!errors.empty()) {
    send_errors(c.res, errors);
    return std::nullopt;
  }
  return f;
}

} // namespace

void Server::response_routes() {
  route("GET", "/v1/admin/surveys/{id}/responses", Access::analyst, [this](Ctx& c) {
    auto f = read_filter(c);
    if (!f) return;
    const auto paging = read_paging(c);
    if (!paging) return;
    auto page = storage_->list_responses(*f, paging->cursor, paging->limit);
    json items = json::array();
    for (const auto& s : page.items)
      items.push_back(response_json(s));
    send_json(
        c.res, 200,
        {{"items", items}, {"next_cursor", page.next ? json(std::to_string(*page.next)) : json(nullptr)}});
  });

  // Streams every matching response, a page at a time, without holding the whole set.
  route("GET", "/v1/admin/surveys/{id}/export", Access::analyst, [this](Ctx& c) {
    auto f = read_filter(c);
    if (!f) return;
    const auto format = c.req.has_param("format") ? c.req.get_param_value("format") : "csv";
    if (format != "csv" && format != "json")
      return send_error(c.res, ApiCode::invalid_value, "format", "csv or json");
    auto flavour = read_flavour(c, format == "csv", true);
    if (!flavour) return;
    if (!flavour->attribute_columns.empty()) {
      // Attributes as columns: their keys first (one pass over the matching answers, keys only).
      std::set<std::string> keys;
      std::optional<std::int64_t> cursor;
      do {
        auto page = storage_->list_responses(*f, cursor, 1000);
        for (const auto& s : page.items)
          for (auto it = s.response.attributes.begin(); it != s.response.attributes.end(); ++it)
            keys.insert(it.key());
        cursor = page.next;
      } while (cursor);
      flavour->attribute_columns.assign(keys.begin(), keys.end());
    }
    struct State {
      std::optional<std::int64_t> cursor;
      bool started = false, done = false, first = true;
    };
    auto state = std::make_shared<State>();
    const bool csv = format == "csv";
    c.res.set_header("Content-Disposition",
                     "attachment; filename=\"" + f->survey_id + (csv ? ".csv\"" : ".json\""));
    c.res.set_chunked_content_provider(
        csv ? "text/csv; charset=utf-8" : "application/json",
        [this, filter = *f, state, csv, flavour = *flavour](std::size_t, httplib::DataSink& sink) {
          if (state->done) {
            sink.done();
            return true;
          }
          std::string out;
          if (!state->started) {
            state->started = true;
            out = csv ? csv_export_header(flavour) : "[";
          }
          auto page = storage_->list_responses(filter, state->cursor, 500);
          for (const auto& s : page.items) {
            if (csv)
              out += csv_row(s, flavour);
            else {
              out += state->first ? "\n" : ",\n";
              state->first = false;
              out += nps::dump(response_json(s));
            }
          }
          state->cursor = page.next;
          if (!page.next) {
            state->done = true;
            if (!csv) out += "\n]\n";
          }
          return sink.write(out.data(), out.size());
        });
  });
}

} // namespace npsd
