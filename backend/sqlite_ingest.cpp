// The SQLite engine's per-batch folding of count changes (see sqlite_ingest.hpp).
#include "sqlite_ingest.hpp"

namespace npsd::sqlite {

namespace {

const std::string kIndexComment = "INSERT INTO responses_fts (rowid, comment) VALUES (?1, ?2)";

std::string key_of(const std::string* sql, const std::vector<Fold::Bind>& keys) {
  std::string k = std::to_string(reinterpret_cast<std::uintptr_t>(sql));
  for (const auto& b : keys) {
    k += '\x1f';
    k += std::to_string(b.at);
    if (const auto* i = std::get_if<std::int64_t>(&b.value))
      k += "i" + std::to_string(*i);
    else
      k += "s" + std::get<std::string>(b.value);
  }
  return k;
}

} // namespace

Fold::Row& Fold::Rows::at(const std::string* sql, std::vector<Bind> keys, int first_cell) {
  const auto k = key_of(sql, keys);
  if (auto it = index.find(k); it != index.end()) return rows[it->second];
  index.emplace(k, rows.size());
  rows.push_back(Row{sql, std::move(keys), first_cell, {}});
  return rows.back();
}

const Fold::Row* Fold::Rows::find(const std::string* sql, const std::vector<Bind>& keys) const {
  const auto it = index.find(key_of(sql, keys));
  return it == index.end() ? nullptr : &rows[it->second];
}

void Fold::add(const std::string& sql, std::vector<Bind> keys, int first_cell, int score,
               std::int64_t delta) {
  job_.at(&sql, std::move(keys), first_cell).cells.at(static_cast<std::size_t>(score)) += delta;
}

void Fold::index(std::int64_t id, std::optional<std::string> comment) {
  job_.comments.emplace_back(id, std::move(comment));
}

std::int64_t Fold::waiting(const std::string& sql, const std::vector<Bind>& keys) const {
  std::int64_t n = 0;
  for (const auto* rows : {&job_, &batch_})
    if (const Row* r = rows->find(&sql, keys))
      for (const auto v : r->cells)
        n += v;
  return n;
}

void Fold::keep() {
  for (auto& r : job_.rows) {
    auto& into = batch_.at(r.sql, r.keys, r.first_cell);
    for (std::size_t i = 0; i < r.cells.size(); ++i)
      into.cells[i] += r.cells[i];
  }
  for (auto& row : job_.comments)
    batch_.comments.push_back(std::move(row));
  job_.clear();
}

void Fold::drop() { job_.clear(); }

void Fold::clear() {
  job_.clear();
  batch_.clear();
}

void Fold::flush(Conn& c) {
  keep();
  Rows rows;
  std::swap(rows, batch_);
  for (const auto& r : rows.rows) {
    auto st = c.prep(*r.sql);
    for (const auto& b : r.keys) {
      if (const auto* i = std::get_if<std::int64_t>(&b.value))
        st.bind(b.at, *i);
      else
        st.bind(b.at, std::get<std::string>(b.value));
    }
    for (int i = 0; i <= 10; ++i)
      st.bind(r.first_cell + i, r.cells[static_cast<std::size_t>(i)]);
    st.run();
  }
  // Last: no later statement of the batch makes FTS5 write these terms out before the COMMIT.
  for (const auto& [id, comment] : rows.comments)
    c.prep(kIndexComment).bind(1, id).bind(2, comment).run();
}

void index_comment(Conn& c, std::int64_t id, const std::optional<std::string>& comment) {
  if (Fold* f = folding(c)) {
    f->index(id, comment);
    return;
  }
  c.prep(kIndexComment).bind(1, id).bind(2, comment).run();
}

} // namespace npsd::sqlite
