// libpq's pipeline mode for the PostgreSQL engine's connection (see Conn::later in
// postgres_conn.hpp): statements whose result nobody reads are sent at once and read with the
// next statement that is waited for, so an answer's tallies, themes and webhook event cost no
// round trip of their own (issue 18).
#include "postgres_conn.hpp"

#include <libpq-fe.h>

namespace npsd::pg {

namespace {

std::string trimmed(std::string msg) {
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
    msg.pop_back();
  return msg;
}

std::string conn_message(pg_conn* c) { return trimmed(c ? PQerrorMessage(c) : "no connection"); }

std::string first_line(const std::string& sql) { return sql.substr(0, sql.find('\n')).substr(0, 80); }

} // namespace

const std::string& Conn::send_prepare(const std::string& sql) {
  if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
  const std::string name = "s" + std::to_string(++names_);
  if (PQsendPrepare(c_, name.c_str(), sql.c_str(), 0, nullptr) != 1)
    throw Error("postgresql: " + conn_message(c_) + " (preparing: " + first_line(sql) + ")", "");
  sent_.push_back({sql, true});
  return prepared_.emplace(sql, name).first->second;
}

void Conn::send(const std::string& sql, const Params& p, bool prepared) {
  std::vector<const char*> values;
  values.reserve(p.size());
  for (const auto& v : p.values())
    values.push_back(v ? v->c_str() : nullptr);
  const int n = static_cast<int>(values.size());
  const char* const* data = values.empty() ? nullptr : values.data();
  const int ok = prepared ? PQsendQueryPrepared(c_, send_prepare(sql).c_str(), n, data, nullptr, nullptr, 0)
                          : PQsendQueryParams(c_, sql.c_str(), n, nullptr, data, nullptr, nullptr, 0);
  if (ok != 1) throw Error("postgresql: " + conn_message(c_) + " (sending: " + first_line(sql) + ")", "");
  sent_.push_back({sql, false});
}

void Conn::later(const std::string& sql, const Params& p, bool prepared) {
  if (!c_) reconnect();
  if (PQpipelineStatus(c_) == PQ_PIPELINE_OFF && PQenterPipelineMode(c_) != 1)
    throw Error("postgresql: cannot enter pipeline mode: " + conn_message(c_), "");
  send(sql, p, prepared);
}

// Ends the pipeline with a sync and reads every result sent, in order. The last statement's
// own result is returned when `keep_last` (the caller checks it); a failure of any statement
// before it is thrown as LaterError. The connection leaves pipeline mode.
pg_result* Conn::drain(bool keep_last) {
  if (PQpipelineSync(c_) != 1) {
    sent_.clear();
    throw Error("postgresql: " + conn_message(c_) + " (pipeline sync)", "");
  }
  std::string error, sqlstate;
  pg_result* kept = nullptr;
  for (std::size_t i = 0; i < sent_.size(); ++i) {
    const bool mine = keep_last && i + 1 == sent_.size();
    bool first = true;
    while (pg_result* r = PQgetResult(c_)) {
      if (mine && first) {
        kept = r;
        first = false;
        continue;
      }
      first = false;
      const auto status = PQresultStatus(r);
      // A statement whose PREPARE failed or was skipped (after an earlier failure) is not
      // prepared on the server: prepared again by its next use.
      if (sent_[i].prepare && status != PGRES_COMMAND_OK) prepared_.erase(sent_[i].sql);
      if (status == PGRES_FATAL_ERROR && error.empty()) {
        error = trimmed(PQresultErrorMessage(r)) + " (in: " + first_line(sent_[i].sql) + ")";
        const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        sqlstate = state ? state : "";
      }
      PQclear(r);
    }
  }
  pg_result* sync = PQgetResult(c_);
  const bool synced = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  PQclear(sync);
  sent_.clear();
  if (synced) PQexitPipelineMode(c_);
  if (!error.empty() || !synced) {
    PQclear(kept);
    if (!error.empty()) throw LaterError("postgresql: " + error, sqlstate);
    throw Error("postgresql: the pipeline ended without its sync: " + conn_message(c_), "");
  }
  return kept;
}

void Conn::settle() {
  if (sent_.empty()) return;
  (void)drain(false);
}

Result Conn::pipelined(const std::string& sql, const Params& p, bool prepared) {
  send(sql, p, prepared);
  return check(drain(true), sql);
}

} // namespace npsd::pg
