// The storage engine under test (see the header).
#include "storage_support.hpp"

#include "postgres_conn.hpp"
#include "postgres_storage.hpp"

#include <sqlite3.h>

#include <cstdlib>

namespace npsd::test {

namespace {

// "t_" and 16 hex digits of FNV-1a over the folder and the name: a fresh schema for each
// TempDir (random), the same one for the same (dir, name).
std::string schema_of(const TempDir& dir, const std::string& name) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : dir.path().string() + "/" + name) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  static const char* hex = "0123456789abcdef";
  std::string out = "t_";
  for (int i = 60; i >= 0; i -= 4)
    out += hex[(h >> i) & 15];
  return out;
}

std::string with_schema(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

} // namespace

std::optional<std::string> test_pg_url() {
  const char* url = std::getenv("NPSD_TEST_PG_URL");
  if (!url || !*url) return std::nullopt;
  return std::string(url);
}

std::unique_ptr<Storage> open_test_storage(const TempDir& dir, const std::string& name) {
  const auto url = test_pg_url();
  if (!url) return open_sqlite(dir.file(name + ".sqlite3"));
  const auto schema = schema_of(dir, name);
  pg::Conn(*url).exec("CREATE SCHEMA IF NOT EXISTS " + schema);
  return open_postgres(with_schema(*url, schema));
}

std::int64_t raw_count(const TempDir& dir, const std::string& name, const std::string& survey_id) {
  if (const auto url = test_pg_url()) {
    pg::Conn c(*url);
    return c
        .once("SELECT count(*) FROM " + schema_of(dir, name) + ".responses WHERE survey_id = $1",
              pg::Params().add(survey_id))
        .i64(0, 0);
  }
  sqlite3* db = nullptr;
  std::int64_t n = -1;
  if (sqlite3_open_v2(dir.file(name + ".sqlite3").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM responses WHERE survey_id = ?1", -1, &st, nullptr) ==
        SQLITE_OK) {
      sqlite3_bind_text(st, 1, survey_id.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

void raw_exec(const TempDir& dir, const std::string& name, const std::string& sql) {
  if (const auto url = test_pg_url()) {
    pg::Conn(with_schema(*url, schema_of(dir, name))).exec(sql);
    return;
  }
  sqlite3* db = nullptr;
  char* error = nullptr;
  const auto file = dir.file(name + ".sqlite3");
  const bool ok = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
                  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK;
  const std::string why = error ? error : db ? sqlite3_errmsg(db) : "cannot open";
  sqlite3_free(error);
  sqlite3_close(db);
  if (!ok) throw StorageError("raw_exec on " + file + ": " + why);
}

std::string pg_before_slots() {
  static const std::pair<const char*, const char*> tables[] = {
      {"day_totals", "survey_id, day"},
      {"day_tallies", "survey_id, day, channel, locale, device"},
      {"theme_terms", "survey_id, term, day, lang"},
      {"theme_comments", "survey_id, day, lang"},
      {"theme_seg_terms", "survey_id, channel, device, term, day, lang"},
      {"theme_seg_comments", "survey_id, channel, device, day, lang"},
      {"dim_tallies", "survey_id, dim, day, value"},
      {"dim_seg_tallies", "survey_id, dim, seg, day, value"}};
  std::string sql = "DROP FUNCTION npsd_slot() CASCADE; "; // and the columns' defaults
  for (const auto& [table, key] : tables)
    sql += std::string("ALTER TABLE IF EXISTS ") + table + " DROP COLUMN slot; ALTER TABLE IF EXISTS " +
           table + " ADD PRIMARY KEY (" + key + "); ";
  return sql;
}

WebhookEndpoint every_event_endpoint(const std::string& url) {
  WebhookEndpoint e;
  e.url = url;
  e.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  return e;
}

std::string test_database(const TempDir& dir, const std::string& name) {
  const auto url = test_pg_url();
  if (!url) return dir.file(name + ".sqlite3");
  const auto schema = schema_of(dir, name);
  pg::Conn(*url).exec("CREATE SCHEMA IF NOT EXISTS " + schema);
  return with_schema(*url, schema);
}

} // namespace npsd::test
