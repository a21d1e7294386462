// The SQLite engine's folding of count changes per batch (issue 18): while the writer runs the
// answers of one group commit, the additive upserts of their counts (day_tallies, day_totals
// and the theme counts: the same "cells + excluded.cells" statements) are summed in memory by
// row, and written once per batch, before the COMMIT that holds the answers. Eight answers of
// one day and segment then cost one upsert per table instead of eight.
//
// The comment index rows (responses_fts, migration 4) of those answers wait too, and are
// written last, after the upserts, in plain single-row inserts (migration 15 dropped the insert
// trigger). A SAVEPOINT, or a statement run with a statement journal (one with triggers, as the
// insert into responses had), makes SQLite call FTS5's xSavepoint, which writes FTS5's pending
// terms out as a new segment; written after every other statement of the batch, its terms stay
// in memory until the COMMIT and go out as one segment instead of one per answer. A failed
// job's rows are dropped with its counts.
//
// Only jobs written with Writer::write_folding fold (storing answers, imports); before any
// other job the folded changes are written, so every other write, and any reader after the
// commit, sees the counts as if each answer had written its own. A job that fails drops its
// own changes only (its savepoint is rolled back too). A failure to write them fails the batch.
//
// Internal to the SQLite engine.
#pragma once

#include "sqlite_conn.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace npsd::sqlite {

class Fold {
public:
  using Value = std::variant<std::int64_t, std::string>;
  struct Bind {
    int at;
    Value value;
  };
  // An upsert `sql` (a static string: its address is part of the row's key) with `keys` bound
  // and 11 cells from parameter `first_cell`, adding `delta` to cell `score`.
  void add(const std::string& sql, std::vector<Bind> keys, int first_cell, int score, std::int64_t delta);
  // The comment index row of answer `id` (see above).
  void index(std::int64_t id, std::optional<std::string> comment);
  // The sum of the changes waiting for the row of `sql` and `keys` (the daily cap's count).
  [[nodiscard]] std::int64_t waiting(const std::string& sql, const std::vector<Bind>& keys) const;

  void keep();  // the job's changes join the batch
  void drop();  // the job failed: its changes are forgotten
  void clear(); // the batch failed
  // Writes the batch's changes (in the order they were first made) and forgets them.
  void flush(Conn& c);
  [[nodiscard]] bool empty() const {
    return job_.rows.empty() && batch_.rows.empty() && job_.comments.empty() && batch_.comments.empty();
  }

private:
  struct Row {
    const std::string* sql;
    std::vector<Bind> keys;
    int first_cell;
    std::array<std::int64_t, 11> cells{};
  };
  struct Rows {
    std::vector<Row> rows;
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::pair<std::int64_t, std::optional<std::string>>> comments; // (rowid, comment)
    Row& at(const std::string* sql, std::vector<Bind> keys, int first_cell);
    [[nodiscard]] const Row* find(const std::string* sql, const std::vector<Bind>& keys) const;
    void clear() {
      rows.clear();
      index.clear();
      comments.clear();
    }
  };
  Rows job_, batch_;
};

// True while the writer runs a job that folds (Conn::fold is set): the count helpers
// (bump_tally, the theme counts) hand their changes to it instead of running their upsert.
inline Fold* folding(Conn& c) { return c.fold; }

// Indexes answer `id`'s comment for search (responses_fts), as the insert trigger of migration 4
// did (whatever the comment, NULL included): at the end of the batch while folding, at once
// otherwise. Every insert into responses calls it.
void index_comment(Conn& c, std::int64_t id, const std::optional<std::string>& comment);

} // namespace npsd::sqlite
