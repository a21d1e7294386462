// The OpenAPI 3 description of npsd's HTTP API, served at /v1/openapi.json. A test
// compares its paths and methods with the routes the server registers, both ways.
#include "errors.hpp"
#include "openapi_parts.hpp"
#include "server.hpp"

#include "nps/json.hpp"

namespace npsd {

namespace openapi {

ordered_json error_response(const char* description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

ordered_json json_response(const char* description, const char* schema) {
  ordered_json content = ordered_json::object();
  content["application/json"]["schema"] =
      schema ? ordered_json{{"$ref", std::string("#/components/schemas/") + schema}}
             : ordered_json{{"type", "object"}};
  return {{"description", description}, {"content", content}};
}

ordered_json path_param(const char* name, const char* description) {
  return {{"name", name},
          {"in", "path"},
          {"required", true},
          {"description", description},
          {"schema", {{"type", "string"}}}};
}
ordered_json query_param(const char* name, const char* description) {
  return {{"name", name},
          {"in", "query"},
          {"required", false},
          {"description", description},
          {"schema", {{"type", "string"}}}};
}

ordered_json with_spreadsheet_params(ordered_json params, bool attribute_columns) {
  params.push_back(query_param(
      "flavour", attribute_columns ? "plain (default) or excel: a UTF-8 BOM, local times "
                                     "(utc_offset), attributes as columns (attribute:KEY)"
                                   : "plain (default) or excel: a UTF-8 BOM, local times (utc_offset)"));
  params.push_back(
      query_param("separator", "comma (default), semicolon (where the decimal comma is used) or tab"));
  params.push_back(query_param("utc_offset", "with flavour=excel: +01:00, -05:30 or Z (default)"));
  return params;
}

ordered_json operation(const char* summary, const char* role, ordered_json responses, ordered_json parameters,
                       bool body) {
  ordered_json op = {{"summary", summary}};
  if (role) {
    op["description"] = std::string("Needs a token with the ") + role + " role (or a higher one).";
    op["security"] = ordered_json::array({{{"bearer", ordered_json::array()}}});
    responses["401"] = error_response("No or unknown token");
    responses["403"] = error_response("The token's role is too low");
  }
  if (!parameters.empty()) op["parameters"] = parameters;
  if (body) {
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    responses["400"] = error_response(
        "Invalid JSON, a key given twice (duplicate_key) or invalid fields, each named by its path");
    responses["413"] = error_response("Body too large");
    responses["415"] = error_response("Content-Type is not application/json");
  }
  op["responses"] = responses;
  return op;
}

} // namespace openapi

namespace {

using namespace openapi;

ordered_json build() {
  const auto id = path_param("id", "Survey id");
  const ordered_json filters = ordered_json::array(
      {id, query_param("from", "First day, YYYY-MM-DD (UTC)"),
       query_param("to", "Last day, YYYY-MM-DD, inclusive"),
       query_param("category", "detractor, passive or promoter"), query_param("score", "0 to 10"),
       query_param("channel", "web, app, email, link, sms, import, api"), query_param("locale", "BCP 47 tag"),
       query_param("device", "desktop, mobile, tablet"), query_param("attribute", "key:value"),
       query_param("q", "Text in the comment"), query_param("respondent_id", "One respondent")});
  const ordered_json range = ordered_json::array(
      {id, query_param("from", "First day, YYYY-MM-DD (UTC)"), query_param("to", "Last day, YYYY-MM-DD"),
       query_param("channel", "Only this channel"), query_param("locale", "Only this locale"),
       query_param("device", "Only this device")});

  ordered_json paths = ordered_json::object();
  paths["/healthz"]["get"] = operation("Liveness and storage check", nullptr, {{"200", json_response("OK")}});
  paths["/metrics"]["get"] =
      operation("Prometheus metrics", nullptr, {{"200", {{"description", "Prometheus text format"}}}});
  paths["/v1/openapi.json"]["get"] =
      operation("This document", nullptr, {{"200", json_response("OpenAPI 3")}});

  const ordered_json cors_preflight =
      operation("CORS preflight; allowed only for the survey's allowed_origins", nullptr,
                {{"204", {{"description", "Allowed"}}},
                 {"403", error_response("Origin not allowed")},
                 {"404", error_response("Unknown survey")}},
                ordered_json::array({id}));
  paths["/v1/surveys/{id}/config"]["get"] =
      operation("The survey as the widget needs it; ETag, Cache-Control, 304 on If-None-Match", nullptr,
                {{"200", json_response("The normalised survey definition")},
                 {"304", {{"description", "Not modified"}}},
                 {"403", error_response("Origin not allowed")},
                 {"404", error_response("Unknown survey")},
                 {"410", error_response("Survey archived")}},
                ordered_json::array({id}));
  paths["/v1/surveys/{id}/config"]["options"] = cors_preflight;
  paths["/v1/surveys/{id}/responses"]["post"] = operation(
      "Store one response (validated by the core); 201 once durable, 200 with the original for a retried "
      "idempotency_key",
      nullptr,
      {{"201", json_response("Stored", "Stored")},
       {"200", json_response("Already stored (retry)", "Stored")},
       {"403", error_response("Origin not allowed")},
       {"404", error_response("Unknown survey")},
       {"410", error_response("Survey archived")},
       {"429", error_response("The survey's daily cap is reached")}},
      ordered_json::array({id}), true);
  paths["/v1/surveys/{id}/responses"]["options"] = cors_preflight;
  auto key = path_param("key", "The response's idempotency_key");
  paths["/v1/surveys/{id}/responses/{key}"]["patch"] = operation(
      "Follow-up: set comment, answers or correct the score of a stored response", nullptr,
      {{"200", json_response("Updated", "Stored")}, {"404", error_response("Unknown survey or response")}},
      ordered_json::array({id, key}), true);
  paths["/v1/surveys/{id}/responses/{key}"]["options"] = cors_preflight;

  paths["/v1/admin/surveys"]["get"] =
      operation("List surveys", "viewer", {{"200", json_response("Surveys")}});
  paths["/v1/admin/surveys"]["post"] = operation(
      "Create a survey (validated by the core, errors by path)", "editor",
      {{"201", json_response("Created")}, {"409", error_response("Exists")}}, ordered_json::array(), true);
  paths["/v1/admin/surveys/{id}"]["get"] = operation(
      "One survey with its definition", "viewer",
      {{"200", json_response("Survey")}, {"404", error_response("Unknown")}}, ordered_json::array({id}));
  paths["/v1/admin/surveys/{id}"]["put"] =
      operation("Replace a survey's definition (version + 1)", "editor",
                {{"200", json_response("Updated")}, {"404", error_response("Unknown")}},
                ordered_json::array({id}), true);
  paths["/v1/admin/surveys/{id}"]["delete"] = operation(
      "Archive a survey: it stops taking answers, its data stays", "editor",
      {{"200", json_response("Archived")}, {"404", error_response("Unknown")}}, ordered_json::array({id}));

  paths["/v1/admin/surveys/{id}/responses"]["get"] =
      operation("Responses, newest first, filtered, with cursor pagination", "analyst",
                {{"200", json_response("{items, next_cursor}")}}, [&] {
                  auto p = filters;
                  p.push_back(query_param("limit", "a whole number from 1 to 500, default 50"));
                  p.push_back(query_param("cursor", "next_cursor of the previous page"));
                  return p;
                }());
  paths["/v1/admin/surveys/{id}/responses/{response_id}"]["get"] = operation(
      "One answer: {response, follow_up (status, assignee, updated_at, notes; null when the answer is not a "
      "follow-up item), respondent_answers (how many answers its respondent gave this survey)}",
      "analyst",
      {{"200", json_response("{response, follow_up, respondent_answers}")},
       {"404", error_response("Unknown")}},
      ordered_json::array({id, path_param("response_id", "The response's id")}));
  paths["/v1/admin/surveys/{id}/export"]["get"] =
      operation("Every matching response, streamed as CSV or a JSON array", "analyst",
                {{"200", {{"description", "text/csv or application/json, chunked"}}}}, [&] {
                  auto p = filters;
                  p.push_back(query_param("format", "csv (default) or json"));
                  return with_spreadsheet_params(std::move(p), true);
                }());
  paths["/v1/admin/surveys/{id}/summary"]["get"] = operation(
      "n, counts per score with each score's category, shares, NPS, adjusted-Wald ci95, small-sample flag "
      "(from "
      "the day tallies)",
      "viewer", {{"200", json_response("Summary", "Summary")}, {"404", error_response("Unknown survey")}},
      [&] {
        auto p = range;
        p.push_back(query_param("compare",
                                "previous: also the period of the same length just before (previous) "
                                "and the two-sample test against it (change); needs from"));
        return p;
      }());
  paths["/v1/admin/surveys/{id}/trend"]["get"] =
      operation("NPS per day, week or month with its interval and the change against the previous bucket "
                "(difference, p); overall: the longer trend over the range (the core's tally.trend: slope "
                "per period, change, p, and the last period against the first), null with fewer than two",
                "viewer", {{"200", json_response("Buckets")}}, [&] {
                  auto p = range;
                  p.push_back(query_param("interval", "day, week (default) or month"));
                  return p;
                }());
  paths["/v1/admin/surveys/{id}/breakdown"]["get"] = operation(
      "NPS per channel, locale, device, page or attribute, each compared with the rest (difference, p)",
      "viewer", {{"200", json_response("Segments")}}, [&] {
        auto p = range;
        p.push_back(query_param("by",
                                "channel (default), locale, device, page or attribute:KEY (the answer's "
                                "`source` says whether the counts come from the tallies or the rows)"));
        return p;
      }());

  paths["/v1/admin/surveys/{id}/themes"]["get"] = operation(
      "Comment themes (issue 16): terms over-represented among detractors, passives or promoters (log-odds, "
      "z), each with its NPS impact (95% interval, p) and weekly trend; term= adds the comments behind it "
      "(analyst)",
      "viewer",
      {{"200", json_response("Themes")},
       {"400", error_response("A date, locale, channel or device refused; the error names it")},
       {"403", error_response("term= without the analyst role")}},
      ordered_json::array(
          {id, query_param("from", "First day, YYYY-MM-DD (UTC)"), query_param("to", "Last day, YYYY-MM-DD"),
           query_param("locale", "one language (en, es-MX, zh-Hans …); all together when absent"),
           query_param("channel", "only answers given through this channel: web, app, email, link, sms, "
                                  "import or api; another value is refused (400 naming channel)"),
           query_param("device", "only answers given on this device: desktop, mobile or tablet; another "
                                 "value is refused (400 naming device)"),
           query_param("term", "a theme's term: the newest comments behind it (analyst)")}));

  paths["/v1/admin/tokens"]["get"] =
      operation("List API tokens (never their secrets)", "admin", {{"200", json_response("Tokens")}});
  paths["/v1/admin/tokens"]["post"] =
      operation("Create a token {role, name}; the secret is shown once", "admin",
                {{"201", json_response("Token with its secret")}}, ordered_json::array(), true);
  paths["/v1/admin/tokens/{token_id}"]["delete"] = operation(
      "Revoke a token", "admin", {{"200", json_response("Deleted")}, {"404", error_response("Unknown")}},
      ordered_json::array({path_param("token_id", "Token id")}));

  const auto rid = path_param("respondent_id", "The respondent_id the answers were sent with");
  paths["/v1/admin/respondents/{respondent_id}"]["get"] =
      operation("Everything held about one respondent", "admin", {{"200", json_response("Responses")}},
                ordered_json::array({rid}));
  paths["/v1/admin/respondents/{respondent_id}"]["delete"] =
      operation("Delete one respondent's answers everywhere; the tallies follow", "admin",
                {{"200", json_response("Count deleted")}}, ordered_json::array({rid}));
  paths["/v1/admin/retention"]["post"] =
      operation("Apply retention now: {days, mode: anonymize|remove} for answers older than days", "admin",
                {{"200", json_response("Count affected")}}, ordered_json::array(), true);

  // Sign-in: a session cookie (HttpOnly, SameSite=Strict) for the dashboard.
  paths["/v1/auth/login"]["post"] =
      operation("Sign in with {email, password} or {token}: sets the npsd_session cookie (HttpOnly, "
                "SameSite=Strict) and "
                "returns {role, email, csrf_token}; state-changing requests made with the cookie must send "
                "X-CSRF-Token. "
                "Failed sign-ins are limited per client address (in memory only): 5 a minute per e-mail or "
                "token tried, 20 a minute in all; another client is never limited by them",
                nullptr,
                {{"200", json_response("Signed in")},
                 {"401", error_response("Wrong e-mail or password, or unknown token")},
                 {"429", error_response("Too many attempts")}},
                ordered_json::array(), true);
  paths["/v1/auth/logout"]["post"] =
      operation("End the session and clear its cookie", "viewer", {{"200", json_response("Signed out")}});
  paths["/v1/auth/me"]["get"] = operation("Who is calling: {role, email, via, csrf_token (sessions)}",
                                          "viewer", {{"200", json_response("Caller")}});

  paths["/v1/admin/users"]["get"] =
      operation("List users (never their password hashes)", "admin", {{"200", json_response("Users")}});
  paths["/v1/admin/users"]["post"] = operation(
      "Create a user {email, role, password (10 to 200 characters, stored as argon2id)}", "admin",
      {{"201", json_response("User")}, {"409", error_response("E-mail taken")}}, ordered_json::array(), true);
  paths["/v1/admin/users/{user_id}"]["patch"] = operation(
      "Change a user's {role} (their sessions take it at once) and/or reset their {password} (10 to 200 "
      "characters; their sessions end)",
      "admin", {{"200", json_response("User")}, {"404", error_response("Unknown")}},
      ordered_json::array({path_param("user_id", "User id")}), true);
  paths["/v1/admin/users/{user_id}"]["delete"] =
      operation("Delete a user; their sessions end, their follow-up items become unassigned", "admin",
                {{"200", json_response("Deleted")}, {"404", error_response("Unknown")}},
                ordered_json::array({path_param("user_id", "User id")}));

  const auto response_id = path_param("response_id", "The response's id");
  paths["/v1/admin/surveys/{id}/follow-ups"]["get"] = operation(
      "Follow-up items: detractors with a comment or a respondent id, with status (new, contacted, "
      "resolved), "
      "assignee and notes; newest first",
      "analyst",
      {{"200", json_response("{items, next_cursor, total (first page only: how many items match)}")},
       {"404", error_response("Unknown survey")}},
      ordered_json::array({id, query_param("status", "new, contacted or resolved"),
                           query_param("open", "1 or true: new and contacted only; 0 or false: all"),
                           query_param("assignee", "me: assigned to the signed-in user"),
                           query_param("limit", "a whole number from 1 to 500, default 50"),
                           query_param("cursor", "next_cursor of the previous page")}));
  paths["/v1/admin/assignees"]["get"] =
      operation("Who a follow-up item can be assigned to: every user's {id, email}", "analyst",
                {{"200", json_response("{items}")}});
  paths["/v1/admin/surveys/{id}/follow-ups/{response_id}"]["get"] =
      operation("One follow-up item with its notes", "analyst",
                {{"200", json_response("Item")}, {"404", error_response("Not a follow-up item")}},
                ordered_json::array({id, response_id}));
  paths["/v1/admin/surveys/{id}/follow-ups/{response_id}"]["patch"] =
      operation("Change {status, assignee_id (a user id, \"me\" or null), note (appended)}", "analyst",
                {{"200", json_response("Item")}, {"404", error_response("Not a follow-up item")}},
                ordered_json::array({id, response_id}), true);
  paths["/v1/admin/surveys/{id}/follow-ups/{response_id}/notes"]["post"] =
      operation("Append a note {text}; notes are never edited or removed", "analyst",
                {{"201", json_response("Item")}, {"404", error_response("Not a follow-up item")}},
                ordered_json::array({id, response_id}), true);
  paths["/v1/admin/surveys/{id}/promoters"]["get"] = operation(
      "Promoters who left a respondent id (for review requests and referrals), as JSON or CSV, streamed",
      "analyst", {{"200", json_response("{items} or text/csv")}, {"404", error_response("Unknown survey")}},
      with_spreadsheet_params(ordered_json::array({id, query_param("format", "json (default) or csv")}),
                              false));
  paths["/v1/admin/surveys/{id}/live"]["get"] = operation(
      "Server-sent events: `event: response` for each new stored answer (viewers get score and segments "
      "only, no "
      "comment or respondent); a comment line every 15 s; the stream ends after 10 minutes",
      "viewer",
      {{"200", {{"description", "text/event-stream"}}},
       {"404", error_response("Unknown survey")},
       {"429", error_response("This token or user has 8 streams open already")},
       {"503", error_response("The server has its most streams open (a quarter of its threads)")}},
      ordered_json::array({id}));
  add_email_paths(paths, id);                  // issue 14: openapi_email.cpp
  add_survey_texts_paths(paths, id);           // issue 19: openapi_survey_texts.cpp
  add_funnel_paths(paths, id, cors_preflight); // issue 19: openapi_funnel.cpp
  add_review_paths(paths, id);                 // issue 19: openapi_review.cpp

  // issue 17: insights (routes_insights.cpp).
  const auto unknown = error_response("Unknown survey, or nothing fitted yet");
  paths["/v1/admin/surveys/{id}/operational"]["post"] =
      operation("Import operational data, {csv: \"customer,date,metric,value\\n…\"} or {rows: [{customer, "
                "date, metric, "
                "value}]}: every line checked (unknown customer, bad date, non-numeric value named by line), "
                "all or nothing",
                "analyst", {{"200", json_response("{imported, customers}")}, {"404", unknown}},
                ordered_json::array({id}), true);
  paths["/v1/admin/surveys/{id}/operational"]["get"] = operation(
      "Counts of the operational data (rows, customers, churned, per metric, dates); no customer id",
      "viewer", {{"200", json_response("Counts")}, {"404", unknown}}, ordered_json::array({id}));
  paths["/v1/admin/surveys/{id}/operational"]["delete"] =
      operation("Delete the survey's operational data and fits", "admin",
                {{"200", json_response("{deleted}")}}, ordered_json::array({id}));
  paths["/v1/admin/surveys/{id}/drivers"]["post"] = operation(
      "Fit key drivers of the score (relative weights, bootstrap 95% intervals) and store the fit", "analyst",
      {{"200", json_response("The stored fit")}, {"404", unknown}}, ordered_json::array({id}));
  paths["/v1/admin/surveys/{id}/drivers"]["get"] =
      operation("The stored key-drivers fit", "viewer",
                {{"200", json_response("The stored fit")}, {"404", unknown}}, ordered_json::array({id}));
  paths["/v1/admin/surveys/{id}/churn"]["post"] = operation(
      "Fit the churn model (cross-validated AUC, calibration) and rank current customers by risk", "analyst",
      {{"200", json_response("The evaluation")}, {"404", unknown}}, ordered_json::array({id}));
  paths["/v1/admin/surveys/{id}/churn"]["get"] =
      operation("The stored churn evaluation, without customer ids", "viewer",
                {{"200", json_response("The evaluation")}, {"404", unknown}}, ordered_json::array({id}));
  paths["/v1/admin/surveys/{id}/churn/at-risk"]["get"] = operation(
      "Current customers ranked by churn risk with the reasons (each with its rank), as JSON or CSV",
      "analyst",
      {{"200", json_response("{items, fitted_at, current_customers} or text/csv")}, {"404", unknown}},
      ordered_json::array({id, query_param("format", "json (default) or csv"),
                           query_param("limit", "1 to 100000"),
                           query_param("customer", "one customer (a respondent id) only, with their rank")}));
  paths["/v1/admin/surveys/{id}/churn/follow-ups"]["post"] = operation(
      "Put {customers: [ids]} from the at-risk list into the follow-up queue, risk and reasons as a note",
      "analyst", {{"200", json_response("{queued, refused}")}, {"404", unknown}}, ordered_json::array({id}),
      true);
  paths["/v1/admin/surveys/{id}/benchmarks"]["get"] = operation(
      "Published and team benchmarks with sources; the survey's NPS and interval against the chosen one and "
      "against the previous period",
      "viewer", {{"200", json_response("Benchmarks")}, {"404", unknown}},
      ordered_json::array({id, query_param("days", "the period, 1 to 3650 days (default 90)")}));
  paths["/v1/admin/surveys/{id}/benchmarks"]["put"] = operation(
      "Choose a benchmark {chosen} and enter the team's own {custom: [{key, name, nps, source}]}", "editor",
      {{"200", json_response("The settings")}, {"404", unknown}}, ordered_json::array({id}), true);
  // issue 15: outgoing webhooks (Standard Webhooks v1, Slack, Teams).
  const auto hook = path_param("webhook_id", "The endpoint's id");
  paths["/v1/admin/webhooks"]["get"] =
      operation("Webhook endpoints (without their secrets)", "admin", {{"200", json_response("{items}")}});
  paths["/v1/admin/webhooks"]["post"] = operation(
      "Add an endpoint {url, kind (standard, slack, teams, email: url mailto:…, alerts of answers in "
      "locale), description, survey_id, categories, event_types, channels, include_personal, locale, "
      "enabled}; "
      "the answer shows its secret (whsec_…)",
      "admin", {{"201", json_response("Endpoint with secret")}}, ordered_json::array(), true);
  paths["/v1/admin/webhooks/{webhook_id}"]["get"] = operation(
      "One endpoint, without its secret (shown once, when made or rotated)", "admin",
      {{"200", json_response("Endpoint")}, {"404", error_response("Unknown")}}, ordered_json::array({hook}));
  paths["/v1/admin/webhooks/{webhook_id}"]["patch"] =
      operation("Change an endpoint's fields (enabled: true re-enables one a 410 disabled)", "admin",
                {{"200", json_response("Endpoint")}, {"404", error_response("Unknown")}},
                ordered_json::array({hook}), true);
  paths["/v1/admin/webhooks/{webhook_id}"]["delete"] = operation(
      "Delete an endpoint and its deliveries", "admin",
      {{"200", json_response("Deleted")}, {"404", error_response("Unknown")}}, ordered_json::array({hook}));
  paths["/v1/admin/webhooks/{webhook_id}/rotate-secret"]["post"] = operation(
      "A new secret {keep_previous_hours: 0 to 168, default 24}: the old one still signs until then", "admin",
      {{"200", json_response("Endpoint with secret")}, {"404", error_response("Unknown")}},
      ordered_json::array({hook}), true);
  paths["/v1/admin/webhooks/{webhook_id}/deliveries"]["get"] =
      operation("Deliveries to an endpoint, newest first, with their payload, attempts and last error",
                "admin", {{"200", json_response("{items, next_cursor}")}, {"404", error_response("Unknown")}},
                ordered_json::array({hook, query_param("status", "pending, delivered or failed"),
                                     query_param("limit", "a whole number from 1 to 500, default 50"),
                                     query_param("cursor", "next_cursor of the previous page")}));
  paths["/v1/admin/webhooks/{webhook_id}/deliveries/{delivery_id}/replay"]["post"] = operation(
      "Send a failed delivery again, with the same webhook-id", "admin",
      {{"202", json_response("Replayed")}, {"404", error_response("Not a failed delivery of this endpoint")}},
      ordered_json::array({hook, path_param("delivery_id", "The delivery's id")}));

  // issue 15: SMS replies in Twilio's webhook format.
  paths["/v1/sms/twilio"]["post"] = {
      {"summary",
       "An SMS reply from Twilio (From, To, Body, MessageSid as application/x-www-form-urlencoded), "
       "signed with X-Twilio-Signature; answers with TwiML (the follow-up question, a question "
       "back for an ambiguous reply, or a thank-you)"},
      {"parameters", ordered_json::array({{{"name", "survey"},
                                           {"in", "query"},
                                           {"required", true},
                                           {"description", "The survey the replies answer"},
                                           {"schema", {{"type", "string"}}}}})},
      {"requestBody",
       {{"required", true},
        {"content", {{"application/x-www-form-urlencoded", {{"schema", {{"type", "object"}}}}}}}}},
      {"responses",
       {{"200", {{"description", "TwiML (text/xml)"}}},
        {"400", error_response("A malformed form body or a missing From, Body or MessageSid")},
        {"403", error_response("No or a wrong X-Twilio-Signature")},
        {"404", error_response("Unknown survey")},
        {"410", error_response("Survey archived")},
        {"415", error_response("Content-Type is not application/x-www-form-urlencoded")},
        {"503", error_response("SMS replies are not configured (no auth token or public URL)")}}}};

  paths["/v1/admin/surveys/{id}/import"]["post"] = {
      {"summary",
       "Import answers from a CSV export (npsd, Delighted, Formbricks, Survicate, Wootric/InMoment, "
       "Qualtrics or a column mapping); every row checked first, nothing stored on any error; rows "
       "already stored (same stable key) skipped"},
      {"description", "Needs a token with the editor role (or a higher one)."},
      {"security", ordered_json::array({{{"bearer", ordered_json::array()}}})},
      {"parameters",
       ordered_json::array(
           {id, query_param("preset", "npsd, delighted, formbricks, survicate, wootric, qualtrics, custom"),
            query_param("column",
                        "FIELD=HEADER (score, date, comment, respondent, channel, locale, id); repeatable"),
            query_param("ignore", "A column not kept as an attribute; repeatable"),
            query_param("utc_offset", "Zone of dates written without one: UTC, +02:00"),
            query_param("date_order", "mdy or dmy, for dates with slashes"),
            query_param("scale", "0-10 or 1-10"), query_param("map", "keep or stretch (1-10 surveys)"),
            query_param("dry_run", "1: check only")})},
      {"requestBody", {{"required", true}, {"content", {{"text/csv", {{"schema", {{"type", "string"}}}}}}}}},
      {"responses",
       {{"200", json_response("{rows, skipped, stored, duplicates, errors: 0, lines: [], scale, dry_run}")},
        {"400",
         error_response("The report by line ({report: {lines: [{line, column, message}]}}); nothing stored")},
        {"401", error_response("No or unknown token")},
        {"403", error_response("The token's role is too low")},
        {"404", error_response("Unknown survey")},
        {"413", error_response("Body too large")},
        {"415", error_response("Content-Type is not text/csv")}}}};

  ordered_json codes = ordered_json::array();
  for (int i = 0; i <= static_cast<int>(ApiCode::unavailable); ++i)
    codes.push_back(std::string(to_string(static_cast<ApiCode>(i))));
  ordered_json error_item = {{"type", "object"},
                             {"required", {"code", "path", "message"}},
                             {"properties",
                              {{"code", {{"type", "string"}, {"enum", codes}}},
                               {"path", {{"type", "string"}}},
                               {"message", {{"type", "string"}}}}}};
  ordered_json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "npsd — OpenNPS server"},
        {"version", "0.1.0"},
        {"description",
         "Every error has the shape {\"error\": {code, path, message}, \"errors\": [all of them]}."}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", {"error", "errors"}},
            {"properties", {{"error", error_item}, {"errors", {{"type", "array"}, {"items", error_item}}}}}}},
          {"Summary",
           {{"type", "object"},
            {"properties",
             {{"survey_id", {{"type", "string"}}},
              {"from", {{"type", "string"}, {"format", "date"}}},
              {"to", {{"type", "string"}, {"format", "date"}}},
              {"n", {{"type", "integer"}}},
              {"counts",
               {{"type", "array"},
                {"minItems", 11},
                {"maxItems", 11},
                {"items", {{"type", "integer"}}},
                {"description", "Answers per score, index 0 to 10"}}},
              {"categories",
               {{"type", "array"},
                {"minItems", 11},
                {"maxItems", 11},
                {"items", {{"type", "string"}, {"enum", {"detractor", "passive", "promoter"}}}},
                {"description",
                 "The core's category of each score, index 0 to 10 (colours the distribution)"}}},
              {"promoters", {{"type", "integer"}}},
              {"passives", {{"type", "integer"}}},
              {"detractors", {{"type", "integer"}}},
              {"shares",
               {{"type", "object"},
                {"nullable", true},
                {"description", "Percentages 0..100 of promoters, passives, detractors; null when n is 0"}}},
              {"nps", {{"type", "number"}, {"nullable", true}}},
              {"ci95", {{"type", "array"}, {"nullable", true}, {"items", {{"type", "number"}}}}},
              {"se", {{"type", "number"}}},
              {"small_sample", {{"type", "boolean"}}}}}}},
          {"Stored",
           {{"type", "object"},
            {"properties",
             {{"id", {{"type", "integer"}}},
              {"survey_id", {{"type", "string"}}},
              {"idempotency_key", {{"type", "string"}}},
              {"score", {{"type", "integer"}}},
              {"category", {{"type", "string"}}},
              {"received_at", {{"type", "string"}, {"format", "date-time"}}},
              {"duplicate", {{"type", "boolean"}}}}}}}}}}}};
  return doc;
}

} // namespace

const std::string& openapi_document() {
  static const std::string doc = nps::dump(build());
  return doc;
}

} // namespace npsd
