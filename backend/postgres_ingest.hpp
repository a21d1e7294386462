// The PostgreSQL engine's answers stored a batch at a time (issue 18): every answer of a
// group-commit batch in one INSERT, its day totals and segment tallies in the same statement,
// then its tallies by page and attribute, its comment themes and its response.created events
// (stored only when an endpoint takes them) as one statement each for the whole batch, sent
// without waiting (postgres_pipeline.cpp) and read with the COMMIT. An answer cost one round
// trip and about eight statements of its own before; a batch now costs one round trip and
// about five statements together.
//
// Counts are taken from the rows the INSERT returns, so they equal the rows whatever the batch
// holds: keys already stored, or the same key twice. Every upsert's rows are in key order, the
// same order in every npsd process, so two processes' batches wait for each other's row locks
// instead of deadlocking (should one still happen, the writer runs each answer again alone).
#pragma once

#include "postgres_conn.hpp"

#include <vector>

namespace npsd::pg {

// One answer waiting in a batch, and where its outcome goes (created, or duplicate with the
// answer stored under its key before).
struct PendingAnswer {
  const nps::Response* response;
  Millis received_at;
  InsertOutcome outcome;
};

// Stores the answers not stored yet (by survey and idempotency key), in order, with their
// tallies, themes and response.created events, in the caller's transaction on `c`; sets each
// one's outcome. Throws Error when a statement fails (nothing of the batch may be committed
// then), StorageError when a key conflicted but no stored answer has it.
void insert_answers(Conn& c, std::vector<PendingAnswer*>& answers, bool events = true);

// A PostgreSQL array literal of texts ({"a","b",NULL}), for a statement's $n::text[].
[[nodiscard]] std::string text_array(const std::vector<std::optional<std::string>>& items);

} // namespace npsd::pg
