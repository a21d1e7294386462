// The public endpoints the widget calls: a survey's config (cacheable, ETag), posting an
// answer (idempotent by key, daily cap), a follow-up PATCH of that answer, their CORS
// preflights.
#include "server_internal.hpp"

#include "dates.hpp"
#include "nps/response.hpp"
#include "request_json.hpp"

namespace npsd {

// The reply to an answer the storage took (or refused for the daily cap), and what this
// process counts and announces of it.
void Server::answer_stored(httplib::Response& res, const InsertOutcome& out, std::uint32_t daily_cap) {
  if (out.status == Inserted::cap_reached) {
    metrics_.capped++;
    return send_error(res, ApiCode::daily_cap_reached, "",
                      "this survey takes no more answers today (" + std::to_string(daily_cap) + " a day)");
  }
  const bool created = out.status == Inserted::created;
  (created ? metrics_.stored : metrics_.duplicates)++;
  if (created) on_stored(out.stored);
  json j = {{"id", out.stored.id},
            {"survey_id", out.stored.response.survey_id},
            {"idempotency_key", out.stored.response.idempotency_key},
            {"score", out.stored.response.score.value()},
            {"category", std::string(nps::to_string(out.stored.response.category()))},
            {"received_at", iso_time(out.stored.received_at)},
            {"duplicate", !created}};
  send_json(res, created ? 201 : 200, j);
}

void Server::public_routes() {
  route("GET", "/v1/surveys/{id}/config", Access::open, [this](Ctx& c) {
    auto s = public_survey(c);
    if (!s || !cors(c, *s)) return;
    c.res.set_header("ETag", s->etag);
    c.res.set_header("Cache-Control", "public, max-age=60, stale-while-revalidate=600");
    const auto inm = c.req.get_header_value("If-None-Match");
    if (!inm.empty() && (inm == s->etag || inm == "*" || inm.find(s->etag) != std::string::npos)) {
      c.res.status = 304;
      return;
    }
    c.res.set_content(s->config_body, "application/json");
  });

  auto preflight = [this](Ctx& c) {
    auto s = public_survey(c);
    if (!s) return;
    const auto origin = c.req.get_header_value("Origin");
    if (origin.empty() || !origin_allowed(s->origins, origin))
      return send_error(c.res, ApiCode::origin_not_allowed, "",
                        "this origin may not call this survey's endpoints");
    c.res.status = 204;
    c.res.set_header("Access-Control-Allow-Origin", origin);
    c.res.set_header("Vary", "Origin");
    c.res.set_header("Access-Control-Allow-Methods", "GET, POST, PATCH");
    c.res.set_header("Access-Control-Allow-Headers", "Content-Type");
    c.res.set_header("Access-Control-Max-Age", "600");
  };
  route("OPTIONS", "/v1/surveys/{id}/config", Access::open, preflight);
  route("OPTIONS", "/v1/surveys/{id}/responses", Access::open, preflight);
  route("OPTIONS", "/v1/surveys/{id}/responses/{key}", Access::open, preflight);
  route("OPTIONS", "/v1/surveys/{id}/impressions", Access::open, preflight); // routes_funnel.cpp

  route(
      "POST", "/v1/surveys/{id}/responses", Access::open,
      [this](Ctx& c) {
        auto s = public_survey(c);
        if (!s || !cors(c, *s)) return;
        auto body = json_body(c);
        if (!body) return;
        if (auto it = body->find("survey_id"); it == body->end())
          (*body)["survey_id"] = s->id;
        else if (!it->is_string() || it->get_ref<const std::string&>() != s->id)
          return send_error(c.res, ApiCode::invalid_value, "survey_id",
                            "does not match the survey in the URL (" + s->id + ")");
        // The core would drop control characters from the texts: refused instead, so what
        // is stored is what was sent.
        std::vector<ApiError> refused;
        control_character_errors(*body, refused);
        if (!refused.empty()) return send_errors(c.res, refused);
        auto parsed = nps::parse_response(*body);
        if (!parsed) return send_core_errors(c.res, parsed.errors());
        nps::Response record = *parsed;
        nps::apply_privacy(s->privacy, record); // the page without its query, unless the survey keeps it
        const auto now = config_.clock();
        if (auto later = http_.reply_later()) {
          // Answered once its batch is committed, without a worker thread waiting for it: the
          // engine hands the outcome on from its writer thread, the front's thread replies.
          storage_->insert_response_then(
              record, now, s->daily_cap,
              [this, later, log = request_log(c.req, 201), cap = s->daily_cap](const InsertOutcome* out,
                                                                               std::exception_ptr error) {
                std::optional<InsertOutcome> outcome;
                if (out) outcome = *out;
                later->resolve([this, log, cap, outcome = std::move(outcome), error](httplib::Response& res) {
                  if (outcome)
                    answer_stored(res, *outcome, cap);
                  else
                    send_failure(res, error, log.request_id);
                  log_request(log, res.status, res.body.size());
                });
              });
          c.res.set_header("Content-Type", "application/json");
          HardenedServer::defer(std::move(later));
          return;
        }
        answer_stored(c.res, storage_->insert_response(record, now, s->daily_cap), s->daily_cap);
      },
      config_.public_body_max);

  route(
      "PATCH", "/v1/surveys/{id}/responses/{key}", Access::open,
      [this](Ctx& c) {
        auto s = public_survey(c);
        if (!s || !cors(c, *s)) return;
        auto patch = json_body(c);
        if (!patch) return;
        const auto& key = c.params.at(1);
        auto existing = storage_->find_response(s->id, key);
        if (!existing)
          return send_error(c.res, ApiCode::not_found, "idempotency_key", "no response with this key");
        // A follow-up may set the comment, the answers and correct the score; the rest
        // is how and where the answer was given, and stays.
        json merged = nps::to_json(existing->response);
        std::vector<ApiError> errors;
        control_character_errors(*patch, errors);
        for (auto it = patch->begin(); it != patch->end(); ++it) {
          const auto& k = it.key();
          if (k == "comment" || k == "answers" || k == "score") {
            if (it->is_null())
              merged.erase(k);
            else
              merged[k] = *it;
          } else if (k == "survey_id" || k == "idempotency_key") {
            if (*it != merged[k])
              errors.push_back({ApiCode::invalid_value, k, "does not match the response in the URL"});
          } else {
            errors.push_back(
                {ApiCode::unknown_field, k, "a follow-up may change comment, answers and score only"});
          }
        }
        if (!errors.empty()) return send_errors(c.res, errors);
        auto parsed = nps::parse_response(merged);
        if (!parsed) return send_core_errors(c.res, parsed.errors());
        nps::Response record = *parsed;
        nps::apply_privacy(s->privacy, record);
        auto updated = storage_->update_response(record);
        if (!updated)
          return send_error(c.res, ApiCode::not_found, "idempotency_key", "no response with this key");
        on_stored(*updated); // the dashboard's live page shows the comment sent after the score
        json j = {{"id", updated->id},
                  {"survey_id", updated->response.survey_id},
                  {"idempotency_key", updated->response.idempotency_key},
                  {"score", updated->response.score.value()},
                  {"category", std::string(nps::to_string(updated->response.category()))},
                  {"received_at", iso_time(updated->received_at)}};
        send_json(c.res, 200, j);
      },
      config_.public_body_max);
}

} // namespace npsd
