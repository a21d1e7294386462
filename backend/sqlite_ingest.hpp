// The SQLite engine's folding of count changes per batch (issue 18): while the writer runs the
// answers of one group commit, the additive upserts of their counts (day_tallies, day_totals
// and the theme counts: the same "cells + excluded.cells" statements) are summed in memory by
// row, and written once per batch, before the COMMIT that holds the answers. Eight answers of
// one day and segment then cost one upsert per table instead of eight.
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
  // The sum of the changes waiting for the row of `sql` and `keys` (the daily cap's count).
  [[nodiscard]] std::int64_t waiting(const std::string& sql, const std::vector<Bind>& keys) const;

  void keep();  // the job's changes join the batch
  void drop();  // the job failed: its changes are forgotten
  void clear(); // the batch failed
  // Writes the batch's changes (in the order they were first made) and forgets them.
  void flush(Conn& c);
  [[nodiscard]] bool empty() const { return job_.rows.empty() && batch_.rows.empty(); }

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
    Row& at(const std::string* sql, std::vector<Bind> keys, int first_cell);
    [[nodiscard]] const Row* find(const std::string* sql, const std::vector<Bind>& keys) const;
    void clear() {
      rows.clear();
      index.clear();
    }
  };
  Rows job_, batch_;
};

// True while the writer runs a job that folds (Conn::fold is set): the count helpers
// (bump_tally, the theme counts) hand their changes to it instead of running their upsert.
inline Fold* folding(Conn& c) { return c.fold; }

} // namespace npsd::sqlite
