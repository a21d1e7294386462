// Admin: the follow-up work list (detractors to call back: status, assignee, notes) and
// the list of promoters who left a contact.
#include "server_internal.hpp"

#include "csv.hpp"
#include "dates.hpp"
#include "nps/text.hpp"

#include <algorithm>

namespace npsd {

namespace {

json follow_up_json(const FollowUp& f) {
  json notes = json::array();
  for (const auto& n : f.notes)
    notes.push_back(
        {{"id", n.id}, {"author", n.author}, {"text", n.text}, {"created_at", iso_time(n.created_at)}});
  return {
      {"response", response_json(f.response)},
      {"status", f.status},
      {"assignee", f.assignee_id ? json{{"id", *f.assignee_id}, {"email", f.assignee_email}} : json(nullptr)},
      {"updated_at", f.updated_at ? json(iso_time(f.updated_at)) : json(nullptr)},
      {"notes", notes}};
}

bool valid_status(const std::string& s) { return s == "new" || s == "contacted" || s == "resolved"; }

} // namespace

void Server::follow_up_routes() {
  auto response_id = [](Ctx& c) { return path_id(c, 1, "response_id"); };
  route("GET", "/v1/admin/surveys/{id}/follow-ups", Access::analyst, [this](Ctx& c) {
    if (!live(c.params[0])) return send_error(c.res, ApiCode::not_found, "", "no survey " + c.params[0]);
    FollowUpFilter f;
    f.survey_id = c.params[0];
    if (c.req.has_param("status")) {
      f.status = c.req.get_param_value("status");
      if (!valid_status(*f.status))
        return send_error(c.res, ApiCode::invalid_value, "status", "new, contacted or resolved");
    }
    if (c.req.has_param("open")) {
      const auto open = c.req.get_param_value("open");
      if (open != "1" && open != "true" && open != "0" && open != "false")
        return send_error(c.res, ApiCode::invalid_value, "open", "1, true, 0 or false");
      f.open_only = open == "1" || open == "true";
    }
    if (c.req.has_param("assignee")) {
      if (c.req.get_param_value("assignee") != "me")
        return send_error(c.res, ApiCode::invalid_value, "assignee", "me");
      f.assignee_id =
          c.session && c.session->user_id ? *c.session->user_id : -1; // a token is nobody's assignee
    }
    const auto paging = read_paging(c);
    if (!paging) return;
    const std::size_t limit = paging->limit;
    auto items = storage_->follow_ups(f, paging->cursor, limit + 1);
    json out = json::array();
    std::optional<std::int64_t> next;
    if (items.size() > limit) {
      items.pop_back();
      next = items.back().response.id;
    }
    for (const auto& i : items)
      out.push_back(follow_up_json(i));
    json body{{"items", out}, {"next_cursor", next ? json(std::to_string(*next)) : json(nullptr)}};
    // The first page says how many items match in all (the page shows "100 of 164"); counted
    // a thousand at a time, so memory stays flat.
    if (!paging->cursor) {
      std::size_t total = items.size();
      for (auto before = next; before;) {
        const auto more = storage_->follow_ups(f, before, 1000);
        total += more.size();
        before = more.size() == 1000 ? std::optional<std::int64_t>(more.back().response.id) : std::nullopt;
      }
      body["total"] = total;
    }
    send_json(c.res, 200, body);
  });
  // Who an item can be assigned to: every user, id and e-mail only (the user list with roles
  // stays the administrator's).
  route("GET", "/v1/admin/assignees", Access::analyst, [this](Ctx& c) {
    json items = json::array();
    for (const auto& u : storage_->users())
      items.push_back({{"id", u.id}, {"email", u.email}});
    send_json(c.res, 200, {{"items", items}});
  });
  route("GET", "/v1/admin/surveys/{id}/follow-ups/{response_id}", Access::analyst,
        [this, response_id](Ctx& c) {
          auto rid = response_id(c);
          if (!rid) return;
          auto f = storage_->follow_up(c.params[0], *rid, false);
          if (!f)
            return send_error(c.res, ApiCode::not_found, "response_id",
                              "no follow-up item with this id in this survey");
          send_json(c.res, 200, follow_up_json(*f));
        });
  route(
      "PATCH", "/v1/admin/surveys/{id}/follow-ups/{response_id}", Access::analyst,
      [this, response_id](Ctx& c) {
        auto rid = response_id(c);
        if (!rid) return;
        auto body = json_body(c);
        if (!body) return;
        FollowUpChange ch;
        std::vector<ApiError> errors;
        for (auto it = body->begin(); it != body->end(); ++it) {
          const auto& k = it.key();
          if (k == "status") {
            if (!it->is_string() || !valid_status(it->get<std::string>()))
              errors.push_back({ApiCode::invalid_value, "status", "new, contacted or resolved"});
            else
              ch.status = it->get<std::string>();
          } else if (k == "assignee_id") {
            if (it->is_null())
              ch.assignee_id = std::optional<std::int64_t>();
            else if (*it == "me") {
              if (!c.session || !c.session->user_id)
                errors.push_back({ApiCode::invalid_value, "assignee_id", "only a signed-in user is \"me\""});
              else
                ch.assignee_id = c.session->user_id;
            } else if (auto n = nps::as_integer(*it)) {
              const auto all = storage_->users();
              if (std::none_of(all.begin(), all.end(), [&](const UserRecord& u) { return u.id == *n; }))
                errors.push_back({ApiCode::invalid_value, "assignee_id", "no user with this id"});
              else
                ch.assignee_id = std::optional<std::int64_t>(*n);
            } else
              errors.push_back({ApiCode::invalid_type, "assignee_id", "a user id, \"me\" or null"});
          } else if (k == "note") {
            if (!it->is_string() || it->get<std::string>().empty() || it->get<std::string>().size() > 4000 ||
                !nps::is_valid_utf8(it->get<std::string>()))
              errors.push_back({ApiCode::invalid_value, "note", "a text of 1 to 4000 bytes"});
            else
              ch.note = FollowUpNote{0, c.token->name, it->get<std::string>(), 0};
          } else
            errors.push_back({ApiCode::unknown_field, k, "status, assignee_id and note"});
        }
        if (!errors.empty()) return send_errors(c.res, errors);
        auto f = storage_->change_follow_up(c.params[0], *rid, false, ch, config_.clock());
        if (!f)
          return send_error(c.res, ApiCode::not_found, "response_id",
                            "no follow-up item with this id in this survey");
        send_json(c.res, 200, follow_up_json(*f));
      },
      config_.public_body_max);
  route(
      "POST", "/v1/admin/surveys/{id}/follow-ups/{response_id}/notes", Access::analyst,
      [this, response_id](Ctx& c) {
        auto rid = response_id(c);
        if (!rid) return;
        auto body = json_body(c);
        if (!body) return;
        auto it = body->find("text");
        if (it == body->end() || !it->is_string() || it->get<std::string>().empty() ||
            it->get<std::string>().size() > 4000 || !nps::is_valid_utf8(it->get<std::string>()))
          return send_error(c.res, it == body->end() ? ApiCode::required : ApiCode::invalid_value, "text",
                            "a text of 1 to 4000 bytes");
        FollowUpChange ch;
        ch.note = FollowUpNote{0, c.token->name, it->get<std::string>(), 0};
        auto f = storage_->change_follow_up(c.params[0], *rid, false, ch, config_.clock());
        if (!f)
          return send_error(c.res, ApiCode::not_found, "response_id",
                            "no follow-up item with this id in this survey");
        send_json(c.res, 201, follow_up_json(*f));
      },
      config_.public_body_max);

  // One answer's page (issue 19): the answer, its follow-up item when it is one (status,
  // assignee, notes; passives included), and how many answers its respondent gave this survey.
  route("GET", "/v1/admin/surveys/{id}/responses/{response_id}", Access::analyst,
        [this, response_id](Ctx& c) {
          auto rid = response_id(c);
          if (!rid) return;
          ResponseFilter f;
          f.survey_id = c.params[0];
          const auto page = storage_->list_responses(f, *rid + 1, 1);
          if (page.items.empty() || page.items[0].id != *rid)
            return send_error(c.res, ApiCode::not_found, "response_id",
                              "no answer with this id in this survey");
          const auto& s = page.items[0];
          json out{{"response", response_json(s)}, {"follow_up", nullptr}, {"respondent_answers", 0}};
          if (auto item = storage_->follow_up(c.params[0], *rid, true)) {
            auto j = follow_up_json(*item);
            j.erase("response");
            out["follow_up"] = j;
          }
          if (s.response.respondent_id) {
            f.respondent_id = s.response.respondent_id;
            std::size_t n = 0;
            for (std::optional<std::int64_t> before;;) {
              const auto more = storage_->list_responses(f, before, 500);
              n += more.items.size();
              if (!more.next) break;
              before = more.next;
            }
            out["respondent_answers"] = n;
          }
          send_json(c.res, 200, out);
        });

  // Promoters who left a contact: for review requests and referral programmes.
  route("GET", "/v1/admin/surveys/{id}/promoters", Access::analyst, [this](Ctx& c) {
    if (!live(c.params[0])) return send_error(c.res, ApiCode::not_found, "", "no survey " + c.params[0]);
    const auto format = c.req.has_param("format") ? c.req.get_param_value("format") : "json";
    if (format != "csv" && format != "json")
      return send_error(c.res, ApiCode::invalid_value, "format", "csv or json");
    const auto flavour = read_flavour(c, format == "csv", false);
    if (!flavour) return;
    ResponseFilter f;
    f.survey_id = c.params[0];
    f.category = nps::Category::promoter;
    f.with_respondent = true;
    stream_answers(
        c, f, f.survey_id + "-promoters.csv", format == "csv", *flavour,
        {"respondent_id", "score", "comment", "received_at", "channel", "locale"},
        [](const StoredResponse& s, const CsvFlavour& fl) -> std::optional<std::vector<std::string>> {
          const auto& r = s.response;
          return std::vector<std::string>{
              r.respondent_id.value_or(""), std::to_string(r.score.value()),        r.comment.value_or(""),
              csv_time(s.received_at, fl),  std::string(nps::to_string(r.channel)), r.locale.value_or("")};
        },
        [](const StoredResponse& s) -> std::optional<json> { return response_json(s); });
  });
}

} // namespace npsd
