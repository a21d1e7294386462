// The pieces the OpenAPI document (openapi.cpp) is built from, shared by the files that
// describe one feature's routes each (openapi_email.cpp).
#pragma once

#include "nps/json.hpp"

namespace npsd::openapi {

using nps::ordered_json;

[[nodiscard]] ordered_json error_response(const char* description);
// A JSON answer: an object, or the named schema of components.schemas.
[[nodiscard]] ordered_json json_response(const char* description, const char* schema = nullptr);
[[nodiscard]] ordered_json path_param(const char* name, const char* description);
[[nodiscard]] ordered_json query_param(const char* name, const char* description);
// `params` followed by an export's spreadsheet options (flavour, separator, utc_offset;
// read_flavour); with `attribute_columns`, flavour=excel also puts the attributes in columns.
[[nodiscard]] ordered_json with_spreadsheet_params(ordered_json params, bool attribute_columns);
// One operation: `role` nullptr for an open route (else 401/403 added), `body` a JSON body
// (400/413/415 added).
[[nodiscard]] ordered_json operation(const char* summary, const char* role, ordered_json responses,
                                     ordered_json parameters = ordered_json::array(), bool body = false);

// issue 14: signed links, link surveys, contacts, campaigns, the e-mail preview, ambassadors.
void add_email_paths(ordered_json& paths, const ordered_json& id);
// issue 19: the translation hand-off.
void add_survey_texts_paths(ordered_json& paths, const ordered_json& id);

// issue 19: the funnel (impressions counted, the funnel per channel).
void add_funnel_paths(ordered_json& paths, const ordered_json& id, const ordered_json& cors_preflight);

// issue 19: the draft-sharing link.
void add_review_paths(ordered_json& paths, const ordered_json& id);

} // namespace npsd::openapi
