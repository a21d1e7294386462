// The OpenAPI description of the funnel (issue 19, item 6): routes_funnel.cpp.
#include "openapi_parts.hpp"

namespace npsd::openapi {

void add_funnel_paths(ordered_json& paths, const ordered_json& id, const ordered_json& cors_preflight) {
  paths["/v1/surveys/{id}/impressions"]["post"] = operation(
      "Count one impression: {event: shown|dismissed, channel?: web|app}; a count, nothing about who. "
      "Accepted as text/plain too (navigator.sendBeacon)",
      nullptr,
      {{"204", {{"description", "Counted"}}},
       {"403", error_response("Origin not allowed")},
       {"404", error_response("Unknown survey")},
       {"410", error_response("Survey archived")}},
      ordered_json::array({id}), true);
  paths["/v1/surveys/{id}/impressions"]["options"] = cors_preflight;
  paths["/v1/admin/surveys/{id}/funnel"]["get"] = operation(
      "Per channel: sent (e-mail campaigns scheduled in the range), shown, dismissed, answered, and the "
      "response, dismiss and link-open rates with 95% Wilson intervals (the core's funnel.summary)",
      "viewer",
      {{"200", json_response("{channels, total, answered_all, from, to}")},
       {"404", error_response("Unknown survey")}},
      ordered_json::array({id, query_param("from", "first day, YYYY-MM-DD (UTC)"),
                           query_param("to", "last day, YYYY-MM-DD (UTC), inclusive")}));
}

} // namespace npsd::openapi
