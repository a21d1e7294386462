// import_bench: `nps import`'s rate on a large export against the storage engine's bulk
// insert ceiling, both measured in this run (issue 15). Not a test.
//
//   build/native/backend/import_bench [--rows 1000000] [--db postgresql://…]
//
// 1. ceiling: the same answers, built in memory, handed to Storage::import_responses in
//    batches of 5,000 (no reading, no checking) into a fresh database;
// 2. import: a generated export (Wootric preset: id, score, comment, date with a zone,
//    e-mail, a plan attribute) read, checked row by row (import::validate), then read again
//    and stored in batches of 5,000 (import::rows), as `nps import` does, into another
//    fresh database.
// Prints both rates and their ratio; the tallies of both databases must agree.
#include "import.hpp"
#include "storage_open.hpp"

#include "nps/tally.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using namespace npsd;
using Clock = std::chrono::steady_clock;

namespace {

std::string fresh(const std::string& base, const std::string& name) {
  // The caller gives an empty PostgreSQL database; both phases share it, each with its own
  // survey (idempotency keys are per survey, so the second stores every row again).
  if (base.rfind("postgres", 0) == 0) return base;
  const auto path = std::filesystem::temp_directory_path() / ("import-bench-" + name + ".sqlite3");
  for (const char* ext : {"", "-wal", "-shm"})
    std::filesystem::remove(path.string() + ext);
  return path.string();
}

SurveyRecord survey(const std::string& id) {
  SurveyRecord s;
  s.id = id;
  s.definition = R"({"id":")" + id + R"("})";
  s.etag = "\"b\"";
  return s;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

} // namespace

int main(int argc, char** argv) {
  std::size_t rows = 1'000'000;
  std::string db = "";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--rows")
      rows = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--db")
      db = argv[i + 1];
  }
  const Millis day0 = 1'735'689'600'000; // 2025-01-01
  std::string csv = "Response ID,Score,Text,Created At,Email,plan\n";
  csv.reserve(rows * 80);
  for (std::size_t i = 0; i < rows; ++i) {
    const int score = static_cast<int>((i * 7919) % 11);
    const std::size_t day = i % 365;
    char line[200];
    std::snprintf(line, sizeof line,
                  "r%zu,%d,%s,2025-%02zu-%02zuT%02zu:%02zu:00+02:00,user%zu@example.com,%s\n", i, score,
                  i % 3 ? "" : "good service", 1 + day / 31 % 12, 1 + day % 28, i % 24, i % 60, i % 5000,
                  i % 2 ? "pro" : "free");
    csv += line;
  }
  import::Options o;
  o.survey_id = "bench";
  o.preset = import::Preset::wootric;

  // 1. The engine's ceiling: the same rows, already built.
  std::vector<std::pair<nps::Response, Millis>> built;
  built.reserve(rows);
  if (!import::rows(csv, o, 5000, [&](const auto& b) { built.insert(built.end(), b.begin(), b.end()); })) {
    std::fprintf(stderr, "import_bench: the generated file does not read\n");
    return 1;
  }
  auto a = open_storage(fresh(db, "ceiling"));
  a->put_survey(survey("bench"), day0);
  auto t = Clock::now();
  std::size_t stored = 0;
  for (std::size_t i = 0; i < built.size(); i += 5000) {
    std::vector<std::pair<nps::Response, Millis>> batch(
        built.begin() + static_cast<std::ptrdiff_t>(i),
        built.begin() + static_cast<std::ptrdiff_t>(std::min(built.size(), i + 5000)));
    stored += a->import_responses(batch);
  }
  const double ceiling_s = seconds_since(t);
  built.clear();
  built.shrink_to_fit();

  // 2. The import as `nps import` runs it: check every row, then read and store.
  o.survey_id = "bench-import";
  auto b = open_storage(fresh(db, "import"));
  b->put_survey(survey(o.survey_id), day0);
  t = Clock::now();
  const auto report = import::validate(csv, o);
  if (report.error_count) {
    std::fprintf(stderr, "import_bench: %zu errors\n", report.error_count);
    return 1;
  }
  std::size_t imported = 0;
  import::rows(csv, o, 5000, [&](const auto& batch) { imported += b->import_responses(batch);
});
const double import_s = seconds_since(t);

const auto ta = a->scan_tally("bench"), tb = b->scan_tally(o.survey_id);
const bool same = ta.counts() == tb.counts() && stored == rows && imported == rows;
std::printf("import_bench: %zu rows (%s)\n", rows, db.empty() ? "SQLite" : "PostgreSQL");
std::printf("  engine bulk insert ceiling  %9.0f rows/s  (%.2f s)\n", static_cast<double>(rows) / ceiling_s,
            ceiling_s);
std::printf("  nps import (check + store)  %9.0f rows/s  (%.2f s)\n", static_cast<double>(rows) / import_s,
            import_s);
std::printf("  import / ceiling            %9.2f\n", ceiling_s / import_s);
std::printf("  tallies agree               %9s\n", same ? "yes" : "NO");
return same ? 0 : 1;
}
