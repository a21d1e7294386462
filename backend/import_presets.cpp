// The presets of `nps import` (import_presets.hpp): each tool's documented export columns,
// and the presets' names.
#include "import_presets.hpp"

namespace npsd::import {

const Spec& spec(Preset p) {
  static const std::map<Preset, Spec> specs = {
      {Preset::npsd,
       {{{"score", {"score"}},
         {"date", {"received_at"}},
         {"comment", {"comment"}},
         {"channel", {"channel"}},
         {"locale", {"locale"}},
         {"respondent", {"respondent_id"}},
         {"id", {"idempotency_key"}},
         {"device", {"device"}},
         {"page", {"page"}},
         {"client_time", {"client_time"}},
         {"attributes", {"attributes"}},
         {"answers", {"answers"}}},
        {"id", "survey_id", "category"},
        ""}},
      // Delighted's response export (its API's fields: id, score, comment, created_at, person).
      {Preset::delighted,
       {{{"score", {"Score"}},
         {"date", {"Response Timestamp", "Created At", "created_at", "Date"}},
         {"comment", {"Comment"}},
         {"respondent", {"Email", "Phone Number", "Person ID", "person"}},
         {"channel", {"Delighted Source", "Source", "Channel"}},
         {"id", {"Response ID", "id"}},
         {"survey_type", {"Survey Type", "survey_type"}}},
        {"Permalink", "Notes", "Updated At", "updated_at", "Name"},
        ""}},
      // Formbricks' download (apps/web: "No.", "Response ID", "Timestamp", "Finished", …,
      // then "<n>. <question headline>" per question).
      {Preset::formbricks,
       {{{"date", {"Timestamp"}}, {"respondent", {"User ID"}}, {"id", {"Response ID"}}},
        {"No.", "Finished", "Survey ID", "Formbricks ID (internal)", "Notes", "Quotas", "Verified Email"},
        "recommend"}},
      {Preset::survicate,
       {{{"date", {"Date", "Submitted at", "Submission date", "Timestamp", "Created at"}},
         {"respondent", {"Email", "Respondent email", "User email"}},
         {"id", {"Response ID", "Respondent UUID", "Respondent ID"}}},
        {},
        "recommend"}},
      // Wootric (InMoment): its API's response fields score, text, created_at, end_user.
      {Preset::wootric,
       {{{"score", {"Score", "score"}},
         {"date", {"Created At", "created_at", "Response Date", "Date"}},
         {"comment", {"Text", "text", "Comment", "Feedback"}},
         {"respondent", {"Email", "end_user.email", "End User Email"}},
         {"id", {"Response ID", "id", "ID"}}},
        {"Updated At", "updated_at", "IP Address", "ip_address", "Completed", "completed"},
        ""}},
      // Qualtrics' CSV (choice text or values): header of internal names, then a row of question
      // texts and a row of import ids; the NPS question Qn has a companion Qn_NPS_GROUP.
      {Preset::qualtrics,
       {{{"date", {"RecordedDate", "EndDate"}},
         {"respondent", {"RecipientEmail", "ExternalReference"}},
         {"id", {"ResponseId"}},
         {"locale", {"UserLanguage"}},
         {"channel", {"DistributionChannel"}},
         {"status", {"Status"}}},
        {"StartDate", "EndDate", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
         "RecipientLastName", "RecipientFirstName", "LocationLatitude", "LocationLongitude"},
        "recommend"}},
      {Preset::custom, {{}, {}, ""}},
  };
  return specs.at(p);
}

std::optional<Preset> preset_named(std::string_view name) {
  for (Preset p : {Preset::npsd, Preset::delighted, Preset::formbricks, Preset::survicate, Preset::wootric,
                   Preset::qualtrics, Preset::custom})
    if (to_string(p) == name) return p;
  if (name == "inmoment") return Preset::wootric;
  return std::nullopt;
}

std::string_view to_string(Preset p) noexcept {
  switch (p) {
  case Preset::npsd: return "npsd";
  case Preset::delighted: return "delighted";
  case Preset::formbricks: return "formbricks";
  case Preset::survicate: return "survicate";
  case Preset::wootric: return "wootric";
  case Preset::qualtrics: return "qualtrics";
  case Preset::custom: return "custom";
  }
  return "custom";
}

} // namespace npsd::import
