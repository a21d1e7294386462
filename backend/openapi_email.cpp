// The OpenAPI description of the e-mail and link survey routes (issue 14): routes_links.cpp,
// routes_contacts.cpp, routes_campaigns.cpp, routes_ambassadors.cpp.
#include "openapi_parts.hpp"

namespace npsd::openapi {

void add_email_paths(ordered_json& paths, const ordered_json& id) {
  // issue 14: signed links and link surveys (routes_links.cpp).
  const auto token = path_param("token", "A signed link token");
  const ordered_json page = {{"200", {{"description", "text/html: the page, nothing recorded"}}},
                             {"400", {{"description", "text/html: a tampered or foreign link"}}},
                             {"410", {{"description", "text/html: an expired link"}}}};
  paths["/r/{token}"]["get"] = operation("A recipient's score link: the landing page with the score chosen; "
                                         "records nothing (GET, HEAD, prefetch)",
                                         nullptr, page, ordered_json::array({token}));
  paths["/r/{token}"]["post"] = operation(
      "Record the link's answer {score, signal: interaction|visible|send}, once per link (a replay changes "
      "nothing)",
      nullptr,
      {{"201", json_response("{duplicate, score, category}")}, {"200", json_response("Already recorded")}},
      ordered_json::array({token}), true);
  paths["/r/{token}/follow-up"]["post"] =
      operation("The follow-up of the link's answer {comment, quote_ok}, once", nullptr,
                {{"200", json_response("{thanks, link}")}, {"409", error_response("Already given")}},
                ordered_json::array({token}), true);
  paths["/r/{token}/answer"]["post"] = operation(
      "One additional question's answer {question, value} or {question, skip: true}, in the flow's order",
      nullptr, {{"200", json_response("{question, progress, actions} next, or {thanks, link}")}},
      ordered_json::array({token}), true);
  paths["/s/{id}/answer"]["post"] =
      operation("One additional question's answer on a link survey {key | t, question, value | skip}",
                nullptr, {{"200", json_response("{question, progress, actions} next, or {thanks, link}")}},
                ordered_json::array({id}), true);
  paths["/r/{token}/seen"]["post"] = operation(
      "A strict page saw a person ({}): counted as a click in the campaign's funnel", nullptr,
      {{"204", {{"description", "Counted (once per recipient)"}}}}, ordered_json::array({token}), true);
  paths["/s/{id}"]["get"] =
      operation("A link survey's page (?t= a single-use token); records nothing", nullptr, page,
                ordered_json::array({id, query_param("t", "Single-use token")}));
  paths["/s/{id}"]["post"] =
      operation("Record a link survey's answer {score, signal, key | t}", nullptr,
                {{"201", json_response("{duplicate, score, category}")}}, ordered_json::array({id}), true);
  paths["/s/{id}/follow-up"]["post"] =
      operation("The follow-up of a link survey's answer {key | t, comment, quote_ok}", nullptr,
                {{"200", json_response("{thanks, link}")}}, ordered_json::array({id}), true);
  paths["/s/{id}/qr.svg"]["get"] =
      operation("QR code of the survey's link, SVG", nullptr, {{"200", {{"description", "image/svg+xml"}}}},
                ordered_json::array({id}));
  paths["/s/{id}/qr.png"]["get"] =
      operation("QR code of the survey's link, PNG", nullptr, {{"200", {{"description", "image/png"}}}},
                ordered_json::array({id, query_param("scale", "Pixels per module, 1 to 40 (8)")}));
  paths["/v1/admin/surveys/{id}/links"]["post"] = operation(
      "Signed links {recipient, locale?, expires_in_days?}: eleven score links; or {single_use: N}: N "
      "single-use survey links",
      "editor", {{"201", json_response("{links, expires_at}")}}, ordered_json::array({id}), true);
  paths["/v1/admin/surveys/{id}/link-settings"]["get"] =
      operation("The survey's link settings {strict}", "viewer", {{"200", json_response("{strict}")}},
                ordered_json::array({id}));
  paths["/v1/admin/surveys/{id}/link-settings"]["put"] =
      operation("Strict mode {strict}: record only on an explicit Send", "editor",
                {{"200", json_response("{strict}")}}, ordered_json::array({id}), true);

  const auto contact_id = path_param("contact_id", "Contact id");
  paths["/v1/admin/contacts/import"]["post"] = operation(
      "Import contacts {csv: text} (header: email, name, locale, external_id, other columns are attributes) "
      "or "
      "{contacts: [...]}; deduplicated by e-mail; all or nothing, bad lines named",
      "editor", {{"200", json_response("{created, updated, merged, total}")}}, ordered_json::array(), true);
  paths["/v1/admin/contacts"]["get"] = operation(
      "Contacts by id (viewers get no e-mail, name, external id or attributes)", "viewer",
      {{"200", json_response("{items, next_cursor, total}")}},
      ordered_json::array({query_param("limit", "1 to 500 (50)"), query_param("cursor", "next_cursor")}));
  paths["/v1/admin/contacts/{contact_id}"]["get"] = operation(
      "One contact", "viewer", {{"200", json_response("Contact")}, {"404", error_response("No contact")}},
      ordered_json::array({contact_id}));
  paths["/v1/admin/contacts/{contact_id}"]["delete"] =
      operation("Delete a contact", "editor",
                {{"204", {{"description", "Deleted"}}}, {"404", error_response("No contact")}},
                ordered_json::array({contact_id}));
  paths["/v1/admin/suppressions"]["get"] =
      operation("The suppression list", "analyst", {{"200", json_response("{items}")}});
  paths["/v1/admin/suppressions"]["post"] =
      operation("Suppress an address {email, reason: unsubscribed|bounced|complained}", "editor",
                {{"201", json_response("Added")}, {"200", json_response("Already suppressed")}},
                ordered_json::array(), true);
  const auto campaign_id = path_param("campaign_id", "Campaign id");
  paths["/v1/admin/campaigns"]["post"] = operation(
      "A campaign {survey_id, name?, segment?: {key, value} | audience_csv?: CSV text (as the contacts "
      "import; only its contacts are asked), throttle_days? (90), daily_limit? (0: none), reminder_days? (0: "
      "none, up to 60), delay_minutes? (0)}",
      "editor", {{"201", json_response("Campaign with its funnel")}}, ordered_json::array(), true);
  paths["/v1/admin/campaigns"]["get"] = operation("Campaigns with their funnels", "viewer",
                                                  {{"200", json_response("{items, smtp_configured}")}});
  paths["/v1/admin/email-preview"]["get"] = operation(
      "The survey e-mail in one language, its links leading nowhere", "viewer",
      {{"200", json_response("{survey_id, lang, dir, subject, html, text, languages}")},
       {"400", error_response("Unknown survey or language")}},
      ordered_json::array({query_param("survey_id", "The survey"), query_param("lang", "A language tag")}));
  paths["/v1/admin/surveys/{id}/ambassadors"]["get"] = operation(
      "Promoters who allowed quoting, with the contact they were asked as (JSON or CSV)", "analyst",
      {{"200", json_response("{items} or text/csv")}},
      with_spreadsheet_params(ordered_json::array({id, query_param("format", "json or csv")}), false));
  paths["/v1/admin/campaigns/{campaign_id}"]["get"] =
      operation("One campaign and its funnel (messages by state; reminded, clicked, answered, unsubscribed, "
                "response_rate)",
                "viewer", {{"200", json_response("Campaign")}, {"404", error_response("No campaign")}},
                ordered_json::array({campaign_id}));
  paths["/u/{token}"]["get"] =
      operation("The unsubscribe page of an e-mail (a button; nothing changes on GET)", nullptr,
                {{"200", {{"description", "text/html"}}}}, ordered_json::array({token}));
  paths["/u/{token}"]["post"] =
      operation("Unsubscribe (RFC 8058 one-click, or the page's button): the address is suppressed", nullptr,
                {{"200", {{"description", "text/html"}}}}, ordered_json::array({token}));
}

} // namespace npsd::openapi
