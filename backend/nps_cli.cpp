// nps: the command-line companion. `nps summarize` turns scores from an offline or paper
// survey, or a CSV export, into the NPS with its 95% interval, computed by the same core
// as the server and the browser.
#include "import_cli.hpp"
#include "nps/api.hpp"
#include "nps/score_list.hpp"
#include "nps/survey.hpp"
#include "nps/tally.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view usage = R"(usage: nps summarize [FILE|-] [--column NAME] [--skip-invalid]
       nps check-survey [FILE|-]
       nps import FILE|- --survey ID --db PATH|URL [--preset NAME] ...  (nps import --help)

Reads scores (whole numbers 0 to 10) and prints one JSON object:
  {"n":…,"promoters":…,"passives":…,"detractors":…,"nps":…,"ci95":[lo,hi],"method":"adjusted-wald"}

  FILE             one score per line, or a CSV file with --column; "-" or nothing reads stdin
  --column NAME    the input is CSV with a header row; scores are in column NAME
                   (comma, semicolon or tab separated, detected from the header)
  --skip-invalid   report invalid answers on stderr but still summarize the valid ones

Blank lines and empty cells are skipped answers: they are not counted in n and do not
lower the NPS. nps is in points (-100..100); ci95 is the adjusted-Wald 95% interval.
check-survey validates a survey definition (JSON) and prints every problem with its
path, e.g. "followup.detractor.text.es: longer than 500 characters"; when it is valid it
prints the definition with every default filled in.

Exit status: 0 success, 1 invalid or no data, 2 usage error.
)";

int usage_error(std::string_view message) {
  std::cerr << "nps: " << message << "\n\n" << usage;
  return 2;
}

std::optional<std::string> read_input(const std::string& file) {
  if (file == "-")
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int summarize_command(const std::vector<std::string>& args) {
  std::string file = "-";
  bool file_given = false;
  bool skip_invalid = false;
  nps::ScoreListOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << usage;
      return 0;
    }
    if (a == "--skip-invalid") {
      skip_invalid = true;
    } else if (a == "--column" || a.rfind("--column=", 0) == 0) {
      if (a == "--column") {
        if (i + 1 >= args.size()) return usage_error("--column needs a column name");
        options.column = args[++i];
      } else {
        options.column = a.substr(9);
      }
      if (options.column->empty()) return usage_error("--column needs a column name");
    } else if (a.size() > 1 && a[0] == '-') {
      return usage_error("unknown option " + a);
    } else {
      if (file_given) return usage_error("give one file at most");
      file = a;
      file_given = true;
    }
  }

  auto text = read_input(file);
  if (!text) {
    std::cerr << "nps: cannot open " << file << "\n";
    return 1;
  }
  auto list = nps::read_scores(*text, options);
  if (!list) {
    std::cerr << "nps: " << nps::describe(list.error()) << "\n";
    return 1;
  }
  const std::string name = file == "-" ? "stdin" : file;
  constexpr std::size_t shown = 20;
  for (std::size_t k = 0; k < list->invalid.size() && k < shown; ++k) {
    const auto& bad = list->invalid[k];
    std::cerr << name << ": line " << bad.line << ": " << bad.error.message << "\n";
  }
  if (list->invalid.size() > shown)
    std::cerr << name << ": … and " << (list->invalid.size() - shown) << " more invalid answers\n";
  if (!list->invalid.empty() && !skip_invalid) {
    std::cerr << "nps: " << list->invalid.size()
              << " invalid answer(s); fix them or pass --skip-invalid to leave them out\n";
    return 1;
  }
  if (!list->invalid.empty()) std::cerr << "nps: left out " << list->invalid.size() << " invalid answer(s)\n";
  if (list->blank > 0) std::cerr << "nps: " << list->blank << " blank answer(s) skipped, not counted in n\n";

  auto summary = nps::summarize(list->tally);
  if (!summary) {
    std::cerr << "nps: no scores in " << name << "\n";
    return 1;
  }
  if (summary->small_sample)
    std::cerr << "nps: only " << summary->n << " answers: the interval is wide, read it before the NPS\n";
  std::cout << nps::dump(nps::summary_json(*summary)) << "\n";
  return 0;
}

int check_survey_command(const std::vector<std::string>& args) {
  if (args.size() > 1) return usage_error("give one file at most");
  const std::string file = args.empty() ? "-" : args[0];
  if (file == "--help" || file == "-h") {
    std::cout << usage;
    return 0;
  }
  auto text = read_input(file);
  if (!text) {
    std::cerr << "nps: cannot open " << file << "\n";
    return 1;
  }
  auto j = nps::parse_json(*text);
  if (!j) {
    std::cerr << "nps: " << file << " is not valid JSON\n";
    return 1;
  }
  auto survey = nps::parse_survey(*j);
  if (!survey) {
    for (const auto& e : survey.errors())
      std::cerr << nps::describe(e) << "\n";
    std::cerr << "nps: " << survey.errors().size() << " problem(s) in " << file << "\n";
    return 1;
  }
  std::cout << nps::to_json(*survey).dump(2) << "\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "summarize") return summarize_command({args.begin() + 1, args.end()});
  if (args[0] == "check-survey") return check_survey_command({args.begin() + 1, args.end()});
  if (args[0] == "import") return npsd::import::cli({args.begin() + 1, args.end()}); // issue 15
  return usage_error("unknown command " + args[0]);
}
