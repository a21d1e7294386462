// `npsd migrate --from PATH.sqlite3 --to postgresql://…` (issue 18): copies one database into
// another through the storage interface only (any engine to any engine), then verifies it.
//
// What is copied: users (matched by e-mail) and API tokens (by hash), surveys (definition and
// archived flag), every answer with its received time, oldest first so the target's ids keep
// the order, and follow-up items (status, assignee, notes). Sessions are not: people sign in
// again on the new database.
//
// Resumable: answers go in through import_responses, which skips an idempotency key already
// stored, and everything else is matched before it is added; running the command again after
// an interruption finishes the copy and never stores an answer twice. Verification compares,
// per survey, the number of rows and the per-score counts both from the tallies and from a
// scan of the rows, on both sides.
#pragma once

#include "storage.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace npsd {

struct MigrationCheck {
  std::string survey_id;
  std::uint64_t source_rows = 0, target_rows = 0;
  nps::Tally source_tally, target_tally; // from the tallies; the scans are compared too
  bool same = false;
};

// One kind of stored data counted on both sides (of one survey when survey_id is set): for
// kinds matched by a key (contacts, events, …) `target` counts the source's rows found there.
struct KindCheck {
  std::string kind, survey_id;
  std::uint64_t source = 0, target = 0;
  [[nodiscard]] bool same() const { return source == target; }
};

struct MigrationReport {
  std::size_t users = 0, tokens = 0, surveys = 0;         // added to the target by this run
  std::size_t answers = 0;                                // added by this run (stored before: skipped)
  std::size_t follow_ups = 0;                             // items whose state or notes were copied
  std::vector<std::pair<std::string, std::size_t>> added; // every other kind: rows added by this run
  std::vector<MigrationCheck> checks;
  std::vector<KindCheck> kinds;
  [[nodiscard]] bool verified() const;
};

// `progress` gets one line now and then (surveys, answers copied so far).
MigrationReport migrate_storage(Storage& from, Storage& to,
                                const std::function<void(const std::string&)>& progress);

// The subcommand: parses its arguments, prints progress and the verification, returns the
// exit status (0 verified, 1 failed or not verified, 2 bad arguments).
int migrate_main(int argc, char** argv);

} // namespace npsd
