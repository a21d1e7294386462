// The PostgreSQL engine of the storage interface (libpq): opened from a postgresql:// URL.
#pragma once

#include "storage.hpp"

#include <memory>
#include <string>

namespace npsd {

// Connects, migrates the schema of the URL's database (its search_path, e.g.
// `?options=-csearch_path%3Dtenant1`), and starts the group-commit writer. Readers share a
// pool of up to 8 connections. Throws StorageError when PostgreSQL cannot be reached or the
// schema cannot be migrated.
[[nodiscard]] std::unique_ptr<Storage> open_postgres(const std::string& url);

} // namespace npsd
