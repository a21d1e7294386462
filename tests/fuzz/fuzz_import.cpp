// Import files (issue 15), as `nps import` and POST …/import read any file a user hands
// them: import::validate, then import::rows for a file it accepted. The first byte picks
// the preset (and whether slashed dates are mdy, and a 1-10 mapping), the rest is the file.
// Beyond "no crash, no sanitizer report": every error has a line (1 for the header) and a
// message; a file validate() accepts is read back by rows() completely, with exactly the
// rows validate() counted, each a valid response (score 0..10, a key) of the survey.
#include "fuzz_support.hpp"

#include "import.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using namespace npsd::import;
  Options o;
  o.survey_id = "fuzz";
  const std::uint8_t pick = data[0];
  o.preset = static_cast<Preset>(pick % 7);
  o.date_order = pick & 0x08 ? DateOrder::mdy : DateOrder::none;
  if (pick & 0x10) {
    o.scale = Scale::one_to_ten;
    o.scale_map = pick & 0x20 ? ScaleMap::stretch : ScaleMap::keep;
  }
  if (pick & 0x40) o.columns = {{"score", "score"}, {"date", "date"}, {"comment", "comment"}};
  const std::string_view text = nps::fuzz::as_text(data + 1, size - 1);
  const Report report = validate(text, o);
  for (const auto& e : report.errors)
    if (e.line == 0 || e.message.empty())
      nps::fuzz::fail("an error without a line or message", text, e.message);
  if (report.error_count != 0 || report.errors.size() > report.error_count) return 0;
  std::size_t seen = 0;
  const bool ok = rows(text, o, 7, [&](const std::vector<std::pair<nps::Response, npsd::Millis>>& batch) {
    for (const auto& [r, when] : batch) {
      ++seen;
      if (r.survey_id != "fuzz" || r.idempotency_key.empty() || r.score.value() < 0 || r.score.value() > 10)
        nps::fuzz::fail("an imported row that is not a valid answer", text, r.idempotency_key);
      (void)when;
    }
  });
  if (!ok) nps::fuzz::fail("rows() refused a file validate() accepted", text);
  if (seen != report.rows) nps::fuzz::fail("rows() and validate() count differently", text);
  return 0;
}
