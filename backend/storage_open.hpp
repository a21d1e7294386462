// Opening the storage named by npsd's --db: a PostgreSQL URL or a SQLite file.
#pragma once

#include "storage.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace npsd {

// True for `postgresql://…` and `postgres://…` (libpq's URI forms).
[[nodiscard]] bool is_postgres_url(std::string_view where) noexcept;

// A postgresql:// or postgres:// URL opens the PostgreSQL engine, anything else is the
// path of a SQLite file. Throws StorageError when it cannot be opened or migrated.
[[nodiscard]] std::unique_ptr<Storage> open_storage(const std::string& where);

} // namespace npsd
