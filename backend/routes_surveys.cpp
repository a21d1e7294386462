// Admin: survey definitions (list, read, create, replace, archive). Definitions are
// validated by the core; a saved survey is published to the cache the public endpoints read.
#include "server_internal.hpp"

#include "dates.hpp"
#include "nps/survey.hpp"

namespace npsd {

namespace {

json survey_record_json(const SurveyRecord& r, bool with_definition) {
  json j = {{"id", r.id},
            {"version", r.version},
            {"archived", r.archived},
            {"etag", r.etag},
            {"updated_at", iso_time(r.updated_at)}};
  auto def = nps::parse_json(r.definition);
  if (def && def->is_object() && def->contains("name")) j["name"] = (*def)["name"];
  if (with_definition && def) j["definition"] = *def;
  return j;
}

} // namespace

void Server::survey_routes() {
  route("GET", "/v1/admin/surveys", Access::viewer, [this](Ctx& c) {
    json items = json::array();
    for (const auto& r : storage_->surveys())
      items.push_back(survey_record_json(r, false));
    send_json(c.res, 200, {{"items", items}});
  });
  route("GET", "/v1/admin/surveys/{id}", Access::viewer, [this](Ctx& c) {
    auto r = storage_->survey(c.params[0]);
    if (!r) return send_error(c.res, ApiCode::not_found, "", "no survey " + c.params[0]);
    send_json(c.res, 200, survey_record_json(*r, true));
  });

  // Creates (POST, the id in the body) or replaces (PUT, the id in the URL) a survey.
  auto save = [this](Ctx& c, bool create) {
    auto body = json_body(c);
    if (!body) return;
    if (!create) {
      if (auto it = body->find("id"); it == body->end())
        (*body)["id"] = c.params[0];
      else if (*it != c.params[0])
        return send_error(c.res, ApiCode::invalid_value, "id", "does not match the URL");
    }
    auto survey = nps::parse_survey(*body);
    if (!survey) return send_core_errors(c.res, survey.errors());
    auto existing = storage_->survey(survey->id);
    if (create && existing)
      return send_error(c.res, ApiCode::duplicate, "id",
                        "a survey " + survey->id + " exists; PUT replaces it");
    if (!create && !existing) return send_error(c.res, ApiCode::not_found, "", "no survey " + c.params[0]);
    SurveyRecord rec;
    rec.id = survey->id;
    rec.definition = nps::dump(nps::to_json(*survey));
    rec.etag = etag_of(rec.definition);
    rec.archived = existing && existing->archived;
    rec = storage_->put_survey(rec, config_.clock());
    publish(rec);
    send_json(c.res, create ? 201 : 200, survey_record_json(rec, true));
  };
  route(
      "POST", "/v1/admin/surveys", Access::editor, [save](Ctx& c) { save(c, true); }, config_.admin_body_max);
  route(
      "PUT", "/v1/admin/surveys/{id}", Access::editor, [save](Ctx& c) { save(c, false); },
      config_.admin_body_max);
  route("DELETE", "/v1/admin/surveys/{id}", Access::editor, [this](Ctx& c) {
    if (!storage_->set_archived(c.params[0], true, config_.clock()))
      return send_error(c.res, ApiCode::not_found, "", "no survey " + c.params[0]);
    if (auto r = storage_->survey(c.params[0])) publish(*r);
    send_json(c.res, 200, {{"id", c.params[0]}, {"archived", true}});
  });
}

} // namespace npsd
