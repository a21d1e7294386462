// Score lists and CSV exports, as `nps summarize` reads a file anyone may hand it:
// read_scores (one score per line, or CSV with a named column) and then the summary the
// command prints. The input is the file's text; an input holding a NUL byte is
// "<column>\0<text>", i.e. `nps summarize --column <column>` (seeds of both kinds come from
// tests/vectors/scores_read.json). The CSV reader also runs alone with each delimiter.
// Beyond "no crash, no sanitizer report": invalid lines are listed in order with a line
// number from 1, and the summary's figures stay within -100..100 with lo <= hi.
#include "fuzz_support.hpp"

#include "nps/api.hpp"
#include "nps/score_list.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = nps::fuzz::as_text(data, size);
  nps::ScoreListOptions options;
  std::string_view text = input;
  if (const auto nul = input.find('\0'); nul != std::string_view::npos) {
    options.column = std::string(input.substr(0, nul));
    text = input.substr(nul + 1);
  }
  for (const char delimiter : {',', ';', '\t'})
    (void)nps::parse_csv(text, delimiter);
  (void)nps::detect_delimiter(text.substr(0, text.find('\n')));

  const auto list = nps::read_scores(text, options);
  if (!list) {
    if (list.errors().empty()) nps::fuzz::fail("read_scores failed without an error", input);
    return 0;
  }
  std::size_t last_line = 1;
  for (const auto& bad : list->invalid) {
    if (bad.line < last_line) nps::fuzz::fail("invalid lines out of order or numbered from 0", input);
    last_line = bad.line;
    if (bad.error.message.empty()) nps::fuzz::fail("an invalid line without a message", input, bad.value);
  }
  const auto summary = nps::summarize(list->tally);
  if (!summary) {
    if (list->tally.n() != 0) nps::fuzz::fail("no summary of a tally holding scores", input);
    return 0;
  }
  const auto in_range = [](double v) { return v >= -100 && v <= 100; };
  if (!in_range(summary->nps) || !in_range(summary->ci95.lo) || !in_range(summary->ci95.hi) ||
      summary->ci95.lo > summary->ci95.hi)
    nps::fuzz::fail("summary figures outside -100..100", input, nps::dump(nps::summary_json(*summary)));
  (void)nps::dump(nps::summary_json(*summary));
  return 0;
}
