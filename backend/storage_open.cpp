// Opening the storage named by npsd's --db: a PostgreSQL URL or a SQLite file.
#include "storage_open.hpp"

#include "postgres_storage.hpp"

namespace npsd {

bool is_postgres_url(std::string_view where) noexcept {
  return where.rfind("postgresql://", 0) == 0 || where.rfind("postgres://", 0) == 0;
}

std::unique_ptr<Storage> open_storage(const std::string& where) {
  if (is_postgres_url(where)) return open_postgres(where);
  return open_sqlite(where);
}

} // namespace npsd
