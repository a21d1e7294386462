// The OpenAPI description of the draft-sharing link (issue 19, item 13b): routes_review.cpp.
#include "openapi_parts.hpp"

namespace npsd::openapi {

void add_review_paths(ordered_json& paths, const ordered_json& id) {
  paths["/v1/admin/surveys/{id}/share"]["post"] = operation(
      "A read-only link to review the survey in every language without an account: {url, expires_at, "
      "version}. Optional body {days: 1..90} (default 14). The link is signed with the server's link "
      "secret and names the survey's version; nothing is stored",
      "editor",
      {{"201", json_response("{url, expires_at, version}")}, {"404", error_response("Unknown survey")}},
      ordered_json::array({id}), true);
  paths["/review/{token}"]["get"] = operation(
      "The draft-review page (HTML): the survey as respondents see it, in each of its languages, with the "
      "follow-up questions, further questions and thank-you texts; no form, nothing recorded. A notice "
      "when the survey changed since the link was made",
      nullptr,
      {{"200", {{"description", "The page (text/html)"}}},
       {"404", {{"description", "A link that is forged, altered or of a deleted survey (text/html)"}}},
       {"410", {{"description", "An expired link (text/html)"}}}},
      ordered_json::array({path_param("token", "the signed review token")}));
}

} // namespace npsd::openapi
