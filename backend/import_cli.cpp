// `nps import`: answers from another tool's export (or npsd's own) into npsd's database,
// through the same reader as the admin route (import.hpp). Every row is checked first;
// with any error nothing is stored and each is listed with its line and column. Then the
// rows go in by batches, each one transaction with its tallies; rows already there (same
// stable key) are skipped, so running it again changes nothing. A progress bar on stdout
// when it is a terminal.
#include "import_cli.hpp"

#include "import.hpp"
#include "storage_open.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

namespace npsd::import {

namespace {

constexpr std::string_view usage = R"(usage: nps import FILE|- --survey ID --db PATH|URL [options]

Imports answers from a CSV export into the survey ID of npsd's database (a SQLite file or
a postgresql:// URL). Every row is checked before anything is stored.

  --preset NAME        npsd (npsd's own export), delighted, formbricks, survicate,
                       wootric (or inmoment), qualtrics, custom (default: columns given)
  --column FIELD=HEADER  the column of FIELD: score, date, comment, respondent,
                       channel, locale, id (the source's response id); repeatable
  --ignore HEADER      a column not to keep as an attribute; repeatable (other columns
                       become attributes, at most 50)
  --utc-offset ZONE    zone of dates written without one: UTC (default), +02:00, -0700
  --time-zone NAME     the same as an IANA zone with its daylight saving time
                       (Europe/Madrid); a Qualtrics export's own zone is read from it
  --date-order ORDER   mdy or dmy, for dates written with slashes (03/04/2025)
  --scale 0-10|1-10    the scale the survey asked on (a file with no 0 among 30 answers
                       or more is refused until this is said)
  --map keep|stretch   for 1-10: keep the number, or stretch to 0-10 (1 → 0, 10 → 10)
  --dry-run            check and report, store nothing

Exit status: 0 imported (or nothing to do), 1 errors (nothing stored), 2 usage error.
)";

int usage_error(std::string_view message) {
  std::cerr << "nps import: " << message << "\n\n" << usage;
  return 2;
}

std::string with_commas(std::size_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
    s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

void progress(std::size_t done, std::size_t total) {
  const int width = 30;
  const double share = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  const int filled = static_cast<int>(share * width);
  std::printf("\r[%s%s] %3d%%  %s / %s rows", std::string(static_cast<std::size_t>(filled), '#').c_str(),
              std::string(static_cast<std::size_t>(width - filled), ' ').c_str(),
              static_cast<int>(share * 100), with_commas(done).c_str(), with_commas(total).c_str());
  std::fflush(stdout);
}

} // namespace

int cli(const std::vector<std::string>& args) {
  Options o;
  std::string file, db;
  bool dry_run = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << usage;
      return 0;
    }
    if (a == "--dry-run") {
      dry_run = true;
      continue;
    }
    if (a.rfind("--", 0) == 0) {
      if (i + 1 >= args.size()) return usage_error(a + " needs a value");
      const std::string& v = args[++i];
      if (a == "--survey")
        o.survey_id = v;
      else if (a == "--db")
        db = v;
      else if (auto problem = set_option(o, a.substr(2), v))
        return usage_error(*problem);
      continue;
    }
    if (!file.empty()) return usage_error("give one file");
    file = a;
  }
  if (file.empty()) return usage_error("give the file to import (or - for stdin)");
  if (o.survey_id.empty()) return usage_error("--survey names the survey the answers belong to");
  if (db.empty()) return usage_error("--db names npsd's database (its --db)");

  std::string text;
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "nps import: cannot read " << file << "\n";
      return 1;
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  const Report report = validate(text, o);
  for (const auto& e : report.errors)
    std::cerr << file << ":" << e.line << (e.column.empty() ? "" : ": " + e.column) << ": " << e.message
              << "\n";
  if (report.error_count > report.errors.size())
    std::cerr << "… and " << report.error_count - report.errors.size() << " more\n";
  if (report.error_count > 0) {
    std::cerr << "nps import: " << report.error_count << " error(s) in " << file
              << "; nothing was imported\n";
    return 1;
  }
  std::cout << with_commas(report.rows) << " answers read";
  if (report.skipped) std::cout << " (" << with_commas(report.skipped) << " rows without a score skipped)";
  std::cout << "\n";
  if (dry_run) return 0;

  try {
    auto storage = open_storage(db);
    if (!storage->survey(o.survey_id)) {
      std::cerr << "nps import: no survey " << o.survey_id << " in " << db << " (create it first)\n";
      return 1;
    }
    const bool bar = isatty(STDOUT_FILENO) != 0;
    std::size_t done = 0, stored = 0;
    const bool ok = rows(text, o, 5000, [&](const std::vector<std::pair<nps::Response, Millis>>& batch) {
      stored += storage->import_responses(batch);
      done += batch.size();
      if (bar) progress(done, report.rows);
    });
    if (bar) std::cout << "\n";
    if (!ok) {
      std::cerr << "nps import: the file changed while it was read; " << with_commas(stored)
                << " answers were stored, run the import again to finish\n";
      return 1;
    }
    std::cout << "imported " << with_commas(stored) << " answers into " << o.survey_id;
    if (done > stored) std::cout << " (" << with_commas(done - stored) << " were already there)";
    std::cout << "\n";
  } catch (const StorageError& e) {
    std::cerr << "nps import: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

} // namespace npsd::import
