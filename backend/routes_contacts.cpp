// Contacts of e-mail surveys (issue 14): import from CSV or a JSON list (all or nothing,
// bad lines named), the list and one contact (viewers never see e-mail, name or external
// id), deletion, and the suppression list every send respects.
#include "server_internal.hpp"

#include "contacts_import.hpp"
#include "dates.hpp"
#include "email_store.hpp"

namespace npsd {

namespace {

constexpr std::size_t kMaxImport = 50'000;

// A contact as the admin API shows it: personal fields only from the analyst role up.
json contact_json(const Contact& c, bool personal) {
  json j = {{"id", c.id},
            {"locale", c.locale.empty() ? json(nullptr) : json(c.locale)},
            {"suppressed", c.suppressed ? json(*c.suppressed) : json(nullptr)},
            {"last_asked_at", c.last_asked_at ? json(iso_time(*c.last_asked_at)) : json(nullptr)},
            {"created_at", iso_time(c.created_at)},
            {"updated_at", iso_time(c.updated_at)}};
  if (personal) {
    j["email"] = c.email;
    j["name"] = c.name;
    j["external_id"] = c.external_id.empty() ? json(nullptr) : json(c.external_id);
    j["attributes"] = c.attributes;
  }
  return j;
}

bool valid_reason(const std::string& r) { return r == "unsubscribed" || r == "bounced" || r == "complained"; }

} // namespace

void Server::contact_routes() {
  route(
      "POST", "/v1/admin/contacts/import", Access::editor,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "csv" && it.key() != "contacts")
            errors.push_back({ApiCode::unknown_field, it.key(), "give csv (text) or contacts (a list)"});
        if (body->contains("csv") == body->contains("contacts"))
          errors.push_back({ApiCode::required, "csv", "give csv (text) or contacts (a list), one of them"});
        if (body->contains("csv") && !(*body)["csv"].is_string())
          errors.push_back({ApiCode::invalid_type, "csv", "must be a string"});
        if (!errors.empty()) return send_errors(c.res, errors);
        const auto read = body->contains("csv")
                              ? read_contacts_csv((*body)["csv"].get_ref<const std::string&>(), kMaxImport)
                              : read_contacts_json((*body)["contacts"], kMaxImport);
        if (!read.errors.empty()) return send_errors(c.res, read.errors);
        const auto done = storage_->email().import_contacts(read.contacts, config_.clock());
        send_json(c.res, 200,
                  {{"created", done.created},
                   {"updated", done.updated},
                   {"merged", read.merged},
                   {"total", storage_->email().count_contacts()}});
      },
      config_.admin_body_max);

  route("GET", "/v1/admin/contacts", Access::viewer, [this](Ctx& c) {
    auto paging = read_paging(c);
    if (!paging) return;
    const bool personal = c.token->role >= Role::analyst;
    const auto rows = storage_->email().contacts(paging->cursor, paging->limit);
    json items = json::array();
    for (const auto& r : rows)
      items.push_back(contact_json(r, personal));
    const bool more = rows.size() == paging->limit;
    send_json(c.res, 200,
              {{"items", items},
               {"next_cursor", more ? json(rows.back().id) : json(nullptr)},
               {"total", storage_->email().count_contacts()}});
  });

  route("GET", "/v1/admin/contacts/{contact_id}", Access::viewer, [this](Ctx& c) {
    auto id = path_id(c, 0, "contact_id");
    if (!id) return;
    auto contact = storage_->email().contact(*id);
    if (!contact) return send_error(c.res, ApiCode::not_found, "contact_id", "no such contact");
    send_json(c.res, 200, contact_json(*contact, c.token->role >= Role::analyst));
  });

  route("DELETE", "/v1/admin/contacts/{contact_id}", Access::editor, [this](Ctx& c) {
    auto id = path_id(c, 0, "contact_id");
    if (!id) return;
    if (!storage_->email().delete_contact(*id))
      return send_error(c.res, ApiCode::not_found, "contact_id", "no such contact");
    c.res.status = 204;
  });

  route("GET", "/v1/admin/suppressions", Access::analyst, [this](Ctx& c) {
    json items = json::array();
    for (const auto& s : storage_->email().suppressions())
      items.push_back({{"email", s.email}, {"reason", s.reason}, {"created_at", iso_time(s.created_at)}});
    send_json(c.res, 200, {{"items", items}});
  });

  route(
      "POST", "/v1/admin/suppressions", Access::editor,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        std::string email, reason;
        for (auto it = body->begin(); it != body->end(); ++it) {
          if (it.key() != "email" && it.key() != "reason")
            errors.push_back({ApiCode::unknown_field, it.key(), "not a field of a suppression"});
          else if (!it->is_string())
            errors.push_back({ApiCode::invalid_type, it.key(), "must be a string"});
          else
            (it.key() == "email" ? email : reason) = it->get<std::string>();
        }
        if (errors.empty() && email_key(email).empty())
          errors.push_back({ApiCode::invalid_format, "email", "an e-mail address"});
        if (errors.empty() && !valid_reason(reason))
          errors.push_back({ApiCode::invalid_value, "reason", "one of unsubscribed, bounced, complained"});
        if (!errors.empty()) return send_errors(c.res, errors);
        const bool added = storage_->email().suppress(email, reason, config_.clock());
        send_json(c.res, added ? 201 : 200, {{"email", email_key(email)}, {"added", added}});
      },
      config_.admin_body_max);
}

} // namespace npsd
